package pipeline

import "github.com/framelens/framelens/stages/topics/topicstage"

// Topic units (Config.TopicUnit): what the topic model sees as a
// document (topicstage.ModelsPassages).
const (
	UnitAuto     = topicstage.UnitAuto
	UnitDocument = topicstage.UnitDocument
	UnitPassage  = topicstage.UnitPassage
)

// topicUnits are the values of Config.TopicUnit ("" is filled in as
// UnitAuto before Config.validate).
var topicUnits = []string{UnitAuto, UnitDocument, UnitPassage}
