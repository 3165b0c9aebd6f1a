package cli

import (
	"strings"

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

// zhScaffold turns the English examples into Chinese ones: the same keys and values, the
// text of the records translated.
var zhScaffold = strings.NewReplacer(
	"title: Customers can reset their password without calling support", "title: 客户无需联系客服即可自助重置密码",
	"requester: Support team lead", "requester: 客服组长",
	"  - A reset link arrives by e-mail within one minute\n", "  - 重置链接在一分钟内通过电子邮件送达\n",
	"  - The link expires after 30 minutes\n", "  - 链接在 30 分钟后失效\n",
	"tags: [account, self-service]", "tags: [账户, 自助服务]",
	"Password resets are the most frequent support ticket. Customers should be able to\nreset their password themselves from the sign-in page.\n\n## Rationale\n\nFewer tickets, faster recovery for the customer.\n",
	"密码重置是最常见的客服工单。客户应能在登录页面自行重置密码。\n\n## 理由\n\n减少工单，客户更快恢复访问。\n",
	"title: Shorten the reset link lifetime", "title: 缩短重置链接的有效期",
	"requested-by: Security officer", "requested-by: 安全负责人",
	"reason: A 30-minute window is longer than the security policy allows.", "reason: 30 分钟的有效期超出了安全策略的允许范围。",
	`schedule: "+2 days"`, `schedule: "+2 天"`,
	"Change the expiry of the reset link from 30 to 15 minutes.\n", "将重置链接的有效期从 30 分钟改为 15 分钟。\n",
	"title: Password reset accepted by the support team", "title: 客服团队验收密码重置",
	"accepted-by: Support team lead", "accepted-by: 客服组长",
	"{criterion: A reset link arrives by e-mail within one minute,", "{criterion: 重置链接在一分钟内通过电子邮件送达,",
	"{criterion: The link expires after 30 minutes,", "{criterion: 链接在 30 分钟后失效,",
	"Verified in the staging environment with three test accounts.\n", "在预发布环境中用三个测试账户验证通过。\n",
)

// zhBodies are the Markdown bodies new records start with in a Chinese project (site.lang
// zh-CN): the same headings and comments as the English templates, in Chinese.
var zhBodies = map[record.Kind]string{
	record.RequirementKind: "## 描述\n\n<!-- 需要什么、由谁提出、在什么场景下。 -->\n\n## 理由\n\n<!-- 为什么重要：客户的问题、价值、依据。 -->\n",
	record.ChangeKind:      "## 变更内容\n\n<!-- 受影响的需求要改什么。 -->\n\n## 备选方案\n\n<!-- 考虑过的其他方案及未采用的原因。 -->\n",
	record.AcceptanceKind:  "## 验证方式\n\n<!-- 测试、演示、检查；附日期和证据。 -->\n\n## 备注\n",
	record.FeedbackKind:    "<!-- 客户的原话，尽量逐字记录；以及说这话时的背景。 -->\n",
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
