package api

import (
	"github.com/tend-portal/tend/internal/forms"
)

// fieldJSON is one question of a form template.
type fieldJSON struct {
	Key      string   `json:"key"`
	Label    string   `json:"label"`
	Help     string   `json:"help"`
	Type     string   `json:"type"`
	Required bool     `json:"required"`
	Options  []string `json:"options"`
}

// templateJSON is a form or measure template.
type templateJSON struct {
	ID          string      `json:"id"`
	ProviderID  *string     `json:"provider_id"`
	Slug        string      `json:"slug"`
	Title       string      `json:"title"`
	Description string      `json:"description"`
	Kind        string      `json:"kind"`
	Instrument  string      `json:"instrument"`
	Fields      []fieldJSON `json:"fields"`
	CreatedAt   string      `json:"created_at"`
	ArchivedAt  *string     `json:"archived_at"`
}

// intakePacketRequest is the body of PUT /intake-packet.
type intakePacketRequest struct {
	TemplateIDs []string `json:"template_ids"`
}

// newTemplateRequest is the body of POST /form-templates.
type newTemplateRequest struct {
	Slug        string      `json:"slug"`
	Title       string      `json:"title"`
	Description string      `json:"description"`
	Fields      []fieldJSON `json:"fields"`
}

// scoreJSON is the score of one signed measure.
type scoreJSON struct {
	Instrument    string `json:"instrument"`
	Total         int    `json:"total"`
	Band          string `json:"band"`
	At            string `json:"at"`
	Item9Positive bool   `json:"item9_positive"`
}

// assignmentJSON is a form assigned to a client, without its answers.
type assignmentJSON struct {
	ID            string     `json:"id"`
	ClientID      string     `json:"client_id"`
	ProviderID    string     `json:"provider_id"`
	TemplateID    string     `json:"template_id"`
	TemplateTitle string     `json:"template_title"`
	Kind          string     `json:"kind"`
	Instrument    string     `json:"instrument"`
	Status        string     `json:"status"`
	AssignedAt    string     `json:"assigned_at"`
	SignedAt      *string    `json:"signed_at"`
	SignedName    string     `json:"signed_name"`
	AnswersHash   string     `json:"answers_hash"`
	Score         *scoreJSON `json:"score"`
}

// submissionJSON is an assignment with its template and answers.
type submissionJSON struct {
	assignmentJSON
	Template templateJSON      `json:"template"`
	Answers  map[string]string `json:"answers"`
	SignerIP string            `json:"signer_ip"`
}

// answersRequest is the body of PUT /forms/{id}/draft.
type answersRequest struct {
	Answers map[string]string `json:"answers"`
}

// signFormRequest is the body of POST /forms/{id}/sign.
type signFormRequest struct {
	Answers    map[string]string `json:"answers"`
	SignedName string            `json:"signed_name"`
}

// assignRequest is the body of POST /clients/{id}/forms.
type assignRequest struct {
	TemplateID string `json:"template_id"`
}

func templateOut(t forms.Template) templateJSON {
	fields := make([]fieldJSON, 0, len(t.Fields))
	for _, f := range t.Fields {
		options := f.Options
		if options == nil {
			options = []string{}
		}
		fields = append(fields, fieldJSON{
			Key: f.Key, Label: f.Label, Help: f.Help, Type: string(f.Type),
			Required: f.Required, Options: options,
		})
	}
	var owner *string
	if t.ProviderID != "" {
		p := t.ProviderID
		owner = &p
	}
	return templateJSON{
		ID:          t.ID,
		ProviderID:  owner,
		Slug:        t.Slug,
		Title:       t.Title,
		Description: t.Description,
		Kind:        t.Kind,
		Instrument:  t.Instrument,
		Fields:      fields,
		CreatedAt:   formatTime(t.CreatedAt),
		ArchivedAt:  formatTimePtr(t.ArchivedAt),
	}
}

// template turns the request into the forms area's template.
func (req newTemplateRequest) template() forms.Template {
	t := forms.Template{
		Slug: req.Slug, Title: req.Title, Description: req.Description,
		Kind: "form",
	}
	for _, f := range req.Fields {
		t.Fields = append(t.Fields, forms.Field{
			Key: f.Key, Label: f.Label, Help: f.Help,
			Type: forms.FieldType(f.Type), Required: f.Required,
			Options: f.Options,
		})
	}
	return t
}

func scoreOut(sc forms.Score) scoreJSON {
	return scoreJSON{
		Instrument:    sc.Instrument,
		Total:         sc.Total,
		Band:          sc.Band,
		At:            formatTime(sc.At),
		Item9Positive: sc.Item9Positive,
	}
}

func assignmentOut(a forms.Assignment) assignmentJSON {
	var score *scoreJSON
	if a.Score != nil {
		sc := scoreOut(*a.Score)
		score = &sc
	}
	return assignmentJSON{
		ID:            a.ID,
		ClientID:      a.ClientID,
		ProviderID:    a.ProviderID,
		TemplateID:    a.TemplateID,
		TemplateTitle: a.TemplateTitle,
		Kind:          a.Kind,
		Instrument:    a.Instrument,
		Status:        a.Status,
		AssignedAt:    formatTime(a.AssignedAt),
		SignedAt:      formatTimePtr(a.SignedAt),
		SignedName:    a.SignedName,
		AnswersHash:   a.AnswersHash,
		Score:         score,
	}
}

func submissionOut(sub forms.Submission) submissionJSON {
	answers := sub.Answers
	if answers == nil {
		answers = map[string]string{}
	}
	return submissionJSON{
		assignmentJSON: assignmentOut(sub.Assignment),
		Template:       templateOut(sub.Template),
		Answers:        answers,
		SignerIP:       sub.SignerIP,
	}
}
