// The reqtrail extension starts `reqtrail lsp` for the Markdown and YAML records of a
// reqtrail project and for the source files under its trace: paths.
//
// It runs only the binary configured in the user's (machine) settings or the `reqtrail`
// found on PATH, never one from inside the workspace, and only in a trusted workspace.
'use strict';

const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function insideWorkspace(file) {
  const real = safeRealpath(file);
  return (vscode.workspace.workspaceFolders || []).some((f) => {
    const root = safeRealpath(f.uri.fsPath);
    const rel = path.relative(root, real);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  });
}

function safeRealpath(p) {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

function isExecutable(p) {
  try {
    const st = fs.statSync(p);
    if (!st.isFile()) return false;
    if (process.platform !== 'win32') fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// findServer returns the program to run, or an error message.
function findServer() {
  const setting = vscode.workspace.getConfiguration('reqtrail').inspect('path');
  const configured = setting && setting.globalValue; // machine scope: never a workspace value
  if (configured) {
    if (!path.isAbsolute(configured)) return { error: `reqtrail.path must be an absolute path (got ${configured})` };
    if (!isExecutable(configured)) return { error: `reqtrail.path ${configured} is not an executable file` };
    if (insideWorkspace(configured)) return { error: `reqtrail.path ${configured} is inside the workspace; use a binary installed outside it` };
    return { command: configured };
  }
  const names = process.platform === 'win32' ? ['reqtrail.exe'] : ['reqtrail'];
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir || !path.isAbsolute(dir)) continue; // "." or relative entries would resolve into the workspace
    for (const name of names) {
      const candidate = path.join(dir, name);
      if (isExecutable(candidate) && !insideWorkspace(candidate)) return { command: candidate };
    }
  }
  return { error: 'reqtrail was not found on PATH; install it (see docs/editors.md) or set reqtrail.path in your user settings' };
}

// projectSelectors lists the record folders and trace: paths of reqtrail.yaml (read
// leniently: dir: and path: values), so the server sees only the files it knows about.
function projectSelectors(folder) {
  const dirs = new Set(['reqs', 'changes', 'acceptance', 'feedback', 'evaluations']);
  const traces = new Set();
  try {
    const text = fs.readFileSync(path.join(folder.uri.fsPath, 'reqtrail.yaml'), 'utf8');
    for (const m of text.matchAll(/\bdir:\s*["']?([^"',}\s#]+)/g)) dirs.add(m[1]);
    for (const m of text.matchAll(/\bpath:\s*["']?([^"',}\s#]+)/g)) traces.add(m[1]);
  } catch {
    // no reqtrail.yaml: the defaults
  }
  const base = folder.uri.fsPath.split(path.sep).join('/');
  const selectors = [];
  for (const d of dirs) {
    selectors.push({ scheme: 'file', pattern: `${base}/${d}/**/*.{md,yaml,yml}` });
  }
  for (const t of traces) {
    const glob = /[*?[]/.test(t) ? t : `${t}/**/*`;
    selectors.push({ scheme: 'file', pattern: `${base}/${glob}` });
  }
  selectors.push({ scheme: 'file', pattern: `${base}/reqtrail.yaml` });
  return selectors;
}

async function start(context) {
  if (!vscode.workspace.isTrusted) return;
  const folders = (vscode.workspace.workspaceFolders || []).filter((f) => f.uri.scheme === 'file');
  if (folders.length === 0) return;
  const server = findServer();
  if (server.error) {
    vscode.window.showWarningMessage(`reqtrail: ${server.error}`);
    return;
  }
  const debounce = Number(vscode.workspace.getConfiguration('reqtrail').get('debounce', 150));
  const serverOptions = {
    command: server.command,
    args: ['lsp', `--debounce=${Math.max(0, Math.floor(debounce))}`],
    options: { cwd: folders[0].uri.fsPath },
  };
  const clientOptions = {
    documentSelector: folders.flatMap(projectSelectors),
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*') },
  };
  client = new LanguageClient('reqtrail', 'reqtrail', serverOptions, clientOptions);
  await client.start();
  context.subscriptions.push({ dispose: () => client && client.stop() });
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('reqtrail.restart', async () => {
      if (client) {
        await client.stop();
        client = undefined;
      }
      await start(context);
    }),
  );
  await start(context);
}

async function deactivate() {
  if (client) await client.stop();
}

module.exports = { activate, deactivate, findServer, projectSelectors };
