package sheet

import (
	"slices"

	"github.com/reqtrail/reqtrail/pkg/config"
	"github.com/reqtrail/reqtrail/pkg/record"
)

// FeedbackKind is the feedback kind (SPEC §3), named here for the sheet's column tables.
const FeedbackKind = record.FeedbackKind

// How a column's cells are read and written.
type cellType int

const (
	textCell    cellType = iota // a string
	intCell                     // an integer (a numeric cell)
	numCell                     // a number
	dateCell                    // a date: 2024-05-03, 2024/5/3, 2024年5月3日, an Excel serial
	enumCell                    // one of the schema's values, or its Chinese name
	listCell                    // a list of strings: one a line (or split on "; ", "；")
	flowCell                    // a list of mappings, in YAML flow syntax
	refCell                     // a record id (or a foreign id of another row)
	refsCell                    // a list of record ids
	bodyCell                    // the Markdown body
	channelCell                 // source.channel: a channel name, or free text naming one
)

// A zh is one Chinese name of a value; the first one of a value is the one export writes.
type zh struct{ zh, value string }

// column is one field of a kind as a spreadsheet column.
type column struct {
	field string
	// headers are the Chinese headers (and other synonyms) import recognises besides the
	// field's own name; export with --lang zh-CN writes the first.
	headers []string
	typ     cellType
	values  []zh
}

// The tables of SPEC §10. Export writes the columns in this order.
var (
	reqStatus = []zh{{"新建", "new"}, {"待处理", "new"}, {"待分析", "analysis"}, {"评审中", "review"},
		{"已批准", "approved"}, {"已通过", "approved"}, {"开发中", "development"}, {"测试中", "testing"},
		{"已上线", "released"}, {"已发布", "released"}, {"已关闭", "closed"}, {"已拒绝", "rejected"},
		{"暂缓", "deferred"}, {"延期", "deferred"}}
	reqType = []zh{{"功能需求", "functional"}, {"非功能需求", "non-functional"}, {"性能需求", "non-functional"},
		{"体验需求", "experience"}, {"问题反馈", "defect"}, {"缺陷", "defect"}, {"其他", "other"}}
	necessity = []zh{{"刚性需求", "mandatory"}, {"刚性", "mandatory"}, {"柔性需求", "flexible"}, {"柔性", "flexible"},
		{"潜在需求", "latent"}, {"潜在", "latent"}}
	moscow = []zh{{"必须有", "must"}, {"高", "must"}, {"应该有", "should"}, {"中", "should"}, {"可以有", "could"},
		{"低", "could"}, {"暂不需要", "wont"}, {"不做", "wont"}}
	urgency     = []zh{{"紧急", "urgent"}, {"重要", "important"}, {"一般", "routine"}, {"普通", "routine"}}
	feasibility = []zh{{"可实现", "feasible"}, {"部分实现", "partial"}, {"暂无法实现", "infeasible"}, {"不可实现", "infeasible"}}
	// channels are the channel names a 需求来源 cell may be as a whole.
	channels = []zh{{"访谈", "interview"}, {"问卷调研", "survey"}, {"问卷", "survey"}, {"调研", "survey"},
		{"工单", "ticket"}, {"社区", "community"}, {"销售", "sales"}, {"客服", "support"}, {"电话", "support"},
		{"会议", "conference"}, {"市场调研", "market-research"}, {"市场", "market-research"},
		{"竞品分析", "competitor"}, {"竞品", "competitor"}, {"内部", "internal"}, {"其他", "other"}}
	// channelWords are the words that name a channel inside free text (客户A电话反馈), in
	// the order they are looked for.
	channelWords = []zh{{"电话", "support"}, {"客服", "support"}, {"访谈", "interview"}, {"问卷", "survey"},
		{"调研", "survey"}, {"工单", "ticket"}, {"销售", "sales"}, {"社区", "community"}, {"竞品", "competitor"},
		{"市场", "market-research"}, {"内部", "internal"}}
	verification = []zh{{"测试", "test"}, {"演示", "demonstration"}, {"检查", "inspection"}, {"分析", "analysis"}}
	kano         = []zh{{"基本型", "basic"}, {"期望型", "performance"}, {"兴奋型", "excitement"}, {"无差异", "indifferent"}, {"反向型", "reverse"}}
	level        = []zh{{"低", "low"}, {"中", "medium"}, {"高", "high"}}
	crStatus     = []zh{{"已提出", "proposed"}, {"新建", "proposed"}, {"评估中", "assessing"}, {"已批准", "approved"},
		{"已拒绝", "rejected"}, {"已实施", "implemented"}, {"已关闭", "closed"}, {"已撤回", "withdrawn"}}
	crAction = []zh{{"新增", "add"}, {"修改", "modify"}, {"删除", "remove"}}
	verdict  = []zh{{"通过", "accepted"}, {"有条件通过", "conditional"}, {"不通过", "rejected"}}
)

var originColumns = []column{
	{field: "origin.system", headers: []string{"来源系统"}},
	{field: "origin.id", headers: []string{"来源编号"}},
	{field: "origin.url", headers: []string{"来源链接"}},
}

var requirementColumns = append([]column{
	{field: "id", headers: []string{"需求编号", "编号", "ID"}},
	{field: "title", headers: []string{"需求名称", "需求标题", "标题", "需求"}},
	{field: "type", headers: []string{"需求类型", "类型"}, typ: enumCell, values: reqType},
	{field: "necessity", headers: []string{"需求性质", "必要性"}, typ: enumCell, values: necessity},
	{field: "status", headers: []string{"状态", "需求状态"}, typ: enumCell, values: reqStatus},
	{field: "priority.moscow", headers: []string{"优先级", "MoSCoW"}, typ: enumCell, values: moscow},
	{field: "priority.kano", headers: []string{"Kano"}, typ: enumCell, values: kano},
	{field: "priority.ice.impact", headers: []string{"影响"}, typ: intCell},
	{field: "priority.ice.confidence", headers: []string{"信心"}, typ: intCell},
	{field: "priority.ice.ease", headers: []string{"易度"}, typ: intCell},
	{field: "priority.value", headers: []string{"价值"}, typ: intCell},
	{field: "priority.cost", headers: []string{"成本"}, typ: intCell},
	{field: "urgency", headers: []string{"紧急程度", "紧急度"}, typ: enumCell, values: urgency},
	{field: "feasibility", headers: []string{"可行性"}, typ: enumCell, values: feasibility},
	{field: "source.channel", headers: []string{"需求来源", "来源", "渠道"}, typ: channelCell, values: channels},
	{field: "source.requester", headers: []string{"提出方信息", "提出方", "提出人", "客户"}},
	{field: "source.date", headers: []string{"提出时间", "提出日期", "日期"}, typ: dateCell},
	{field: "owner", headers: []string{"负责人", "责任人"}},
	{field: "release", headers: []string{"版本", "计划版本", "迭代"}},
	{field: "start", headers: []string{"开始时间", "计划开始"}, typ: dateCell},
	{field: "due", headers: []string{"计划上线时间", "截止时间", "计划完成"}, typ: dateCell},
	{field: "parent", headers: []string{"父需求"}, typ: refCell},
	{field: "parent.fingerprint", headers: []string{"父需求指纹"}},
	{field: "links", headers: []string{"关联"}, typ: flowCell},
	{field: "verification", headers: []string{"验证方式"}, typ: enumCell, values: verification},
	{field: "acceptance-criteria", headers: []string{"验收标准"}, typ: listCell},
	{field: "metrics", headers: []string{"效果指标"}, typ: flowCell},
	{field: "tags", headers: []string{"标签"}, typ: listCell},
}, originColumns...)

var changeColumns = append([]column{
	{field: "id", headers: []string{"变更编号", "编号", "ID"}},
	{field: "title", headers: []string{"标题", "变更标题", "主题"}},
	{field: "status", headers: []string{"状态", "变更状态"}, typ: enumCell, values: crStatus},
	{field: "action", headers: []string{"类型", "变更类型"}, typ: enumCell, values: crAction},
	{field: "affects", headers: []string{"影响需求"}, typ: refsCell},
	{field: "requested-by", headers: []string{"提出人", "申请人"}},
	{field: "requested", headers: []string{"提出日期", "申请日期"}, typ: dateCell},
	{field: "reason", headers: []string{"原因", "变更原因"}},
	{field: "impact.schedule", headers: []string{"进度影响"}},
	{field: "impact.cost", headers: []string{"成本影响"}, typ: enumCell, values: level},
	{field: "impact.risk", headers: []string{"风险"}, typ: enumCell, values: level},
	{field: "impact.notes", headers: []string{"影响说明"}},
	{field: "decision.by", headers: []string{"决策人"}},
	{field: "decision.date", headers: []string{"决策日期"}, typ: dateCell},
	{field: "decision.note", headers: []string{"决策说明"}},
}, originColumns...)

var acceptanceColumns = append([]column{
	{field: "id", headers: []string{"验收编号", "编号", "ID"}},
	{field: "title", headers: []string{"标题"}},
	{field: "verdict", headers: []string{"结论"}, typ: enumCell, values: verdict},
	{field: "date", headers: []string{"日期"}, typ: dateCell},
	{field: "accepted-by", headers: []string{"验收人"}},
	{field: "requirements", headers: []string{"需求"}, typ: flowCell},
	{field: "criteria", headers: []string{"验收标准"}, typ: flowCell},
	{field: "evidence", headers: []string{"证据"}, typ: listCell},
}, originColumns...)

var feedbackColumns = append([]column{
	{field: "id", headers: []string{"编号", "ID"}},
	{field: "title", headers: []string{"标题", "主题"}},
	{field: "date", headers: []string{"日期"}, typ: dateCell},
	{field: "customer", headers: []string{"客户"}},
	{field: "channel", headers: []string{"渠道", "来源"}, typ: channelCell, values: channels},
	{field: "contact", headers: []string{"联系人"}},
	{field: "weight", headers: []string{"权重"}, typ: intCell},
	{field: "requirements", headers: []string{"关联需求"}, typ: refsCell},
}, originColumns...)

// bodyHeaders are the headers of the body column by kind; "body" is always one.
var bodyHeaders = map[record.Kind][]string{
	record.RequirementKind: {"需求描述", "描述", "说明"},
	record.ChangeKind:      {"描述", "说明", "变更内容"},
	record.AcceptanceKind:  {"说明", "验收说明"},
	FeedbackKind:           {"内容", "反馈内容", "描述"},
}

// projectColumns returns the built-in columns of kind with the Chinese names that
// reqtrail.yaml's values: gives its extra values added to their columns (both ways: import
// reads the name, export with --lang zh-CN writes it).
func projectColumns(kind record.Kind, cfg *config.Config) []column {
	cols := columnsOf(kind)
	if cfg == nil || len(cfg.Values) == 0 {
		return cols
	}
	cols = slices.Clone(cols)
	for i, c := range cols {
		key := c.field
		if kind == FeedbackKind && key == "channel" {
			key = "source.channel" // values: source.channel is also the feedback's channel
		}
		var extra []zh
		for _, v := range cfg.Values[key] {
			if v.ZhCN != "" {
				extra = append(extra, zh{v.ZhCN, v.Value})
			}
		}
		if len(extra) > 0 {
			// The project's names first: a value it names is exported by that name.
			cols[i].values = append(extra, c.values...)
		}
	}
	return cols
}

// columnsOf returns the built-in columns of kind.
func columnsOf(kind record.Kind) []column {
	switch kind {
	case record.RequirementKind:
		return requirementColumns
	case record.ChangeKind:
		return changeColumns
	case record.AcceptanceKind:
		return acceptanceColumns
	case FeedbackKind:
		return feedbackColumns
	}
	return nil
}
