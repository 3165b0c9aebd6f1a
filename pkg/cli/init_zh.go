package cli

import (
	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/config"
	"github.com/reqtrail/reqtrail/pkg/record"
)

// The scaffold of `reqtrail init --lang zh-CN`: reqtrail.yaml with Chinese comments and the
// example records written in Chinese (keys and values stay the English ones of the schema).

const scaffoldConfigZh = `# yaml-language-server: $schema=https://raw.githubusercontent.com/reqtrail/reqtrail/main/schema/config.schema.json
# reqtrail 项目配置；每一项都可省略。
project: 我的产品
kinds:
  requirement: {dir: reqs, prefix: REQ, digits: 4}
  change: {dir: changes, prefix: CR, digits: 4}
  acceptance: {dir: acceptance, prefix: ACC, digits: 4}
# trace:                          # 引用需求编号的代码和测试所在的位置
#   - {path: src, role: impl}
#   - {path: tests, role: test}
# values:                         # 内置枚举的额外取值，可附中文名称
#   source.channel: [{value: wechat, zh-CN: 微信}]
# urgency: {urgent: 24, important: 168}   # 响应时限（小时）
rules: {}                         # 例如 acceptance-stale: error
site:
  title: 我的产品需求
  lang: zh-CN                     # en | zh-CN
`

const scaffoldRequirementZh = `---
# yaml-language-server: $schema=https://raw.githubusercontent.com/reqtrail/reqtrail/main/schema/requirement.schema.json
id: REQ-0001
title: 客户无需联系客服即可自助重置密码
type: functional
necessity: mandatory
status: approved
priority:
  moscow: must
  kano: basic
  ice: {impact: 8, confidence: 7, ease: 6}
  value: 8
  cost: 3
urgency: important
feasibility: feasible
source:
  channel: ticket
  requester: 客服组长
  date: %[1]s
owner: product-team
release: "1.0"
verification: test
acceptance-criteria:
  - 重置链接在一分钟内通过电子邮件送达
  - 链接在 30 分钟后失效
tags: [账户, 自助服务]
---
密码重置是最常见的客服工单。客户应能在登录页面自行重置密码。

## 理由

减少工单，客户更快恢复访问。
`

const scaffoldChangeZh = `---
# yaml-language-server: $schema=https://raw.githubusercontent.com/reqtrail/reqtrail/main/schema/change.schema.json
id: CR-0001
title: 缩短重置链接的有效期
status: proposed
action: modify
affects: [REQ-0001]
requested-by: 安全负责人
requested: %[1]s
reason: 30 分钟的有效期超出了安全策略的允许范围。
impact:
  schedule: "+2 天"
  cost: low
  risk: low
---
将重置链接的有效期从 30 分钟改为 15 分钟。
`

const scaffoldAcceptanceZh = `---
# yaml-language-server: $schema=https://raw.githubusercontent.com/reqtrail/reqtrail/main/schema/acceptance.schema.json
id: ACC-0001
title: 客服团队验收密码重置
verdict: accepted
date: %[1]s
accepted-by: 客服组长
requirements:
  - id: REQ-0001
    fingerprint: %[2]s
criteria:
  - {criterion: 重置链接在一分钟内通过电子邮件送达, met: true, requirement: REQ-0001}
  - {criterion: 链接在 30 分钟后失效, met: true, requirement: REQ-0001}
---
在预发布环境中用三个测试账户验证通过。
`

// zhBodies are the Markdown bodies new records start with in a Chinese project (site.lang
// zh-CN): the same headings and comments as the English templates, in Chinese.
var zhBodies = map[record.Kind]string{
	record.RequirementKind: "## 描述\n\n<!-- 需要什么、由谁提出、在什么场景下。 -->\n\n## 理由\n\n<!-- 为什么重要：客户的问题、价值、依据。 -->\n",
	record.ChangeKind:      "## 变更内容\n\n<!-- 受影响的需求要改什么。 -->\n\n## 备选方案\n\n<!-- 考虑过的其他方案及未采用的原因。 -->\n",
	record.AcceptanceKind:  "## 验证方式\n\n<!-- 测试、演示、检查；附日期和证据。 -->\n\n## 备注\n",
	record.EvaluationKind:  "## 评估方法\n\n<!-- 问卷、使用数据分析、投诉统计：测量了什么、如何测量、覆盖哪段时间。 -->\n\n## 结论\n\n## 给需求提出方的反馈\n",
}

// acceptanceFillInZh is acceptanceFillIn in Chinese.
const acceptanceFillInZh = "填写客户的答复：\n" +
	"verdict: accepted | conditional | rejected\n" +
	"accepted-by: 验收人姓名（结论为 rejected 时可省略）"

// localBody returns the body a new record of kind starts with in the project's language:
// english, or its Chinese version when site.lang is zh-CN.
func localBody(cfg *config.Config, kind record.Kind, english string) string {
	if cfg.Site.Lang == "zh-CN" {
		if b, ok := zhBodies[kind]; ok {
			return b
		}
	}
	return english
}

// localComments turns the template's comments into the project's language.
func localComments(cfg *config.Config, doc *yaml.Node) {
	if cfg.Site.Lang != "zh-CN" || doc == nil {
		return
	}
	for _, n := range doc.Content {
		if n.HeadComment == acceptanceFillIn {
			n.HeadComment = acceptanceFillInZh
		}
	}
}
