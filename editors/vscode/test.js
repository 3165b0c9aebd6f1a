// Checks, without VS Code, the extension's promise about which program it runs: the
// configured machine setting or the reqtrail on PATH, never one inside the workspace.
'use strict';
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const Module = require('module');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'reqtrail-ext-'));
const workspace = path.join(tmp, 'project');
const outside = path.join(tmp, 'bin');
for (const d of [path.join(workspace, 'bin'), outside]) fs.mkdirSync(d, { recursive: true });
for (const d of [path.join(workspace, 'bin'), outside]) {
  fs.writeFileSync(path.join(d, 'reqtrail'), '#!/bin/sh\n', { mode: 0o755 });
}
fs.writeFileSync(path.join(workspace, 'reqtrail.yaml'), 'kinds:\n  requirement: {dir: requirements}\ntrace:\n  - {path: src, role: impl}\n  - {path: "**/*_test.go", role: test}\n');

let settings = {};
const vscode = {
  workspace: {
    workspaceFolders: [{ uri: { fsPath: workspace, scheme: 'file' } }],
    getConfiguration: () => ({ inspect: (k) => ({ globalValue: settings[k], workspaceValue: settings['ws.' + k] }), get: (k, d) => d }),
  },
};
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === 'vscode') return vscode;
  if (request === 'vscode-languageclient/node') return { LanguageClient: function () {} };
  return load.call(this, request, ...rest);
};
const ext = require('./extension.js');

if (process.platform !== 'win32') {
  // PATH with the workspace's own bin first: skipped, the one outside is used.
  process.env.PATH = [path.join(workspace, 'bin'), '.', outside].join(path.delimiter);
  assert.strictEqual(ext.findServer().command, path.join(outside, 'reqtrail'));

  // Only the workspace's copy on PATH: refused.
  process.env.PATH = path.join(workspace, 'bin');
  assert.ok(ext.findServer().error, 'a reqtrail inside the workspace must not run');

  // A workspace value of reqtrail.path is ignored; the user's (machine) value counts.
  settings = { 'ws.path': path.join(outside, 'reqtrail') };
  assert.ok(ext.findServer().error);
  settings = { path: path.join(outside, 'reqtrail') };
  assert.strictEqual(ext.findServer().command, path.join(outside, 'reqtrail'));
  settings = { path: path.join(workspace, 'bin', 'reqtrail') };
  assert.match(ext.findServer().error, /inside the workspace/);
}

// The documents served: the record folders and trace: paths of reqtrail.yaml.
const patterns = ext.projectSelectors(vscode.workspace.workspaceFolders[0]).map((s) => s.pattern);
const base = workspace.split(path.sep).join('/');
for (const want of [`${base}/requirements/**/*.{md,yaml,yml}`, `${base}/src/**/*`, `${base}/**/*_test.go`]) {
  assert.ok(patterns.includes(want), `missing selector ${want} in ${patterns}`);
}
fs.rmSync(tmp, { recursive: true, force: true });
console.log('ok');
