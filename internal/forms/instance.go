package forms

// The instance's own templates, offered to every provider. They are
// written to form_templates by SeedInstanceTemplates, keyed by slug.

// The PHQ-9 and GAD-7 were developed by Drs. Robert L. Spitzer, Janet
// B.W. Williams, Kurt Kroenke and colleagues, with an educational grant
// from Pfizer Inc. No permission is required to reproduce, translate,
// display or distribute them. The wording below is the standard one.

// Slugs of the instance templates.
const (
	SlugDemographics   = "demographics"
	SlugConsent        = "consent-to-treatment"
	SlugPrivacy        = "privacy-practices-acknowledgement"
	SlugRelease        = "release-of-information"
	SlugInsurance      = "insurance-details"
	SlugPHQ9           = "phq-9"
	SlugGAD7           = "gad-7"
	instanceProviderID = ""
)

// frequencyOptions are the four responses of PHQ-9 and GAD-7 items,
// scored 0 to 3 in this order.
var frequencyOptions = []string{
	"Not at all", "Several days", "More than half the days", "Nearly every day",
}

var difficultyField = Field{
	Key: "difficulty",
	Label: "If you checked off any problems, how difficult have these " +
		"problems made it for you to do your work, take care of things at " +
		"home, or get along with other people?",
	Type: SingleChoice,
	Options: []string{"Not difficult at all", "Somewhat difficult",
		"Very difficult", "Extremely difficult"},
}

var phq9Items = []string{
	"Little interest or pleasure in doing things",
	"Feeling down, depressed, or hopeless",
	"Trouble falling or staying asleep, or sleeping too much",
	"Feeling tired or having little energy",
	"Poor appetite or overeating",
	"Feeling bad about yourself — or that you are a failure or have let " +
		"yourself or your family down",
	"Trouble concentrating on things, such as reading the newspaper or " +
		"watching television",
	"Moving or speaking so slowly that other people could have noticed? " +
		"Or the opposite — being so fidgety or restless that you have been " +
		"moving around a lot more than usual",
	"Thoughts that you would be better off dead or of hurting yourself " +
		"in some way",
}

var gad7Items = []string{
	"Feeling nervous, anxious or on edge",
	"Not being able to stop or control worrying",
	"Worrying too much about different things",
	"Trouble relaxing",
	"Being so restless that it is hard to sit still",
	"Becoming easily annoyed or irritable",
	"Feeling afraid as if something awful might happen",
}

// itemKey names the n-th item (from 1) of a measure.
func itemKey(n int) string { return "item" + string(rune('0'+n)) }

func measure(slug, title, instrument, stem string, items []string) Template {
	fields := make([]Field, 0, len(items)+1)
	for i, label := range items {
		fields = append(fields, Field{Key: itemKey(i + 1), Label: label,
			Type: Scale, Required: true, Options: frequencyOptions})
	}
	fields = append(fields, difficultyField)
	return Template{Slug: slug, Title: title, Description: stem,
		Kind: KindMeasure, Instrument: instrument, Fields: fields}
}

func text(key, label string, required bool) Field {
	return Field{Key: key, Label: label, Type: ShortText, Required: required}
}

func long(key, label string, required bool) Field {
	return Field{Key: key, Label: label, Type: LongText, Required: required}
}

func choice(key, label string, required bool, options ...string) Field {
	return Field{Key: key, Label: label, Type: SingleChoice,
		Required: required, Options: options}
}

func signature(label string) Field {
	return Field{Key: "signature", Label: label, Type: Signature, Required: true,
		Help: "Type your full legal name. Typing it is your electronic signature."}
}

// InstanceTemplates returns the instance's templates as defined in code
// (without ids or times).
func InstanceTemplates() []Template {
	return []Template{
		{Slug: SlugDemographics, Title: "Demographics", Kind: KindForm,
			Description: "Tell us a little about yourself. Your answers are " +
				"kept private and seen only by your provider.",
			Fields: []Field{
				text("preferred_name", "Preferred name", false),
				text("pronouns", "Pronouns", false),
				{Key: "date_of_birth", Label: "Date of birth", Type: Date, Required: true},
				text("gender_identity", "Gender identity", false),
				text("phone", "Phone number", true),
				long("address", "Home address", true),
				choice("relationship_status", "Relationship status", false,
					"Single", "In a relationship", "Married or partnered",
					"Separated", "Divorced", "Widowed", "Prefer not to say"),
				choice("employment", "Employment", false, "Employed full time",
					"Employed part time", "Self-employed", "Student",
					"Not employed", "Retired", "Prefer not to say"),
				text("emergency_name", "Emergency contact name", true),
				text("emergency_relationship", "Emergency contact relationship", false),
				text("emergency_phone", "Emergency contact phone", true),
				long("reason", "What brings you to therapy?", false),
				choice("prior_therapy", "Have you been in therapy before?", false,
					"Yes", "No"),
				long("medications", "Current medications, if any", false),
			}},
		{Slug: SlugConsent, Title: "Consent to treatment", Kind: KindForm,
			Description: "I consent to receive mental health services from " +
				"my provider. I understand that therapy involves discussing " +
				"personal matters, that its benefits cannot be guaranteed, " +
				"and that I may end treatment at any time. I understand the " +
				"limits of confidentiality: my provider may disclose " +
				"information without my consent when required by law, " +
				"including when there is a risk of serious harm to myself or " +
				"others, or suspected abuse of a child or vulnerable adult. " +
				"I have been told about fees and the cancellation policy.",
			Fields: []Field{
				choice("agree", "I have read this consent and agree to treatment.",
					true, "I agree", "I do not agree"),
				text("guardian_name",
					"If the client is a minor: parent or guardian's name", false),
				signature("Signature"),
			}},
		{Slug: SlugPrivacy, Title: "Privacy practices acknowledgement", Kind: KindForm,
			Description: "I acknowledge that I have received this practice's " +
				"Notice of Privacy Practices, which describes how my health " +
				"information may be used and disclosed and how I can get " +
				"access to it.",
			Fields: []Field{
				long("questions", "Questions about the notice, if any", false),
				signature("Signature"),
			}},
		{Slug: SlugRelease, Title: "Release of information", Kind: KindForm,
			Description: "I authorize my provider to release the information " +
				"named below to the recipient named below. I may revoke this " +
				"authorization in writing at any time, except where action " +
				"has already been taken on it. Information disclosed may be " +
				"re-disclosed by the recipient and no longer protected by " +
				"federal privacy rules.",
			Fields: []Field{
				text("recipient_name", "Recipient (person or organization)", true),
				long("recipient_contact", "Recipient's address, phone or fax", true),
				{Key: "information", Label: "Information to release", Type: MultiChoice,
					Required: true, Options: []string{
						"Dates of attendance", "Diagnosis", "Treatment plan and progress",
						"Assessment and questionnaire results", "Session notes summary"}},
				text("purpose", "Purpose of the release", true),
				{Key: "expires_on", Label: "This authorization expires on",
					Type: Date, Required: true},
				signature("Signature"),
			}},
		{Slug: SlugInsurance, Title: "Insurance details", Kind: KindForm,
			Description: "If you plan to use health insurance, tell us about " +
				"your plan. Have your insurance card at hand.",
			Fields: []Field{
				text("payer_name", "Insurance company", true),
				text("member_id", "Member ID", true),
				text("group_number", "Group number", false),
				text("subscriber_name", "Name of the insured person (subscriber)", true),
				choice("subscriber_relationship", "Your relationship to the subscriber",
					true, "Self", "Spouse", "Child", "Other"),
				{Key: "subscriber_date_of_birth", Label: "Subscriber's date of birth",
					Type: Date, Required: true},
				long("secondary", "Secondary insurance, if any", false),
			}},
		measure(SlugPHQ9, "PHQ-9", InstrumentPHQ9,
			"Over the last 2 weeks, how often have you been bothered by any "+
				"of the following problems?", phq9Items),
		measure(SlugGAD7, "GAD-7", InstrumentGAD7,
			"Over the last 2 weeks, how often have you been bothered by the "+
				"following problems?", gad7Items),
	}
}
