package ui

import "strconv"

// ThreadRow is one thread of the provider's Messages list.
type ThreadRow struct {
	ClientID string
	Name     string
	LastLine string // the first line of the last message
	When     string // when the last message was sent
	Unread   int
	Archived bool
}

// AttachmentLink is one attachment of a message, as a download link.
type AttachmentLink struct {
	ID   string
	Name string
	Size string // "1.2 MB"
	Type string // the detected content type
	Href string
}

// MessageRow is one message of a thread as the viewer sees it.
type MessageRow struct {
	ID          string
	Mine        bool   // sent by the viewer
	Sender      string // "You", or the other side's name
	When        string
	Lines       []TextLine
	Retracted   bool
	Unread      bool   // sent to the viewer and new when the page opened
	Receipt     string // on the viewer's own messages: "Read 10:42" or "Sent"
	Retract     string // the retract form's action; "" when it may not be retracted
	Attachments []AttachmentLink
}

// ReplyForm is the form that sends a message with attachments.
type ReplyForm struct {
	Action   string
	Form     Form // values "body"; errors "body" and "attachments"
	MaxFiles int
	MaxSize  string // the largest file, "25 MB"
	Types    string // the kinds of file accepted, for people
	Closed   string // why nothing can be sent (an archived client); "" when open
	Submit   string // the button's text
}

// filesHint explains the attachment limits.
func (f ReplyForm) filesHint() string {
	return "Up to " + strconv.Itoa(f.MaxFiles) + " files, " + f.MaxSize + " each: " + f.Types + "."
}

// SearchHit is one message found by a search.
type SearchHit struct {
	ID     string
	Thread string // the client's name
	Sender string
	When   string
	Lines  []TextLine
	Href   string // the message in its thread
}

// MessagesView is the provider's Messages page.
type MessagesView struct {
	Threads []ThreadRow
	Query   string
	Hits    []SearchHit
	Notice  string
}

// ComposeView is the page that picks the client to write to.
type ComposeView struct {
	Clients []Option
	Form    Form // value and error "client"
}

// ThreadView is a provider's thread with one client.
type ThreadView struct {
	ClientID   string
	ClientName string
	Messages   []MessageRow
	Reply      ReplyForm
	Query      string
	Searched   bool
	Hits       []SearchHit
	ClientHref string // the client's record
	FollowUp   string // where a follow-up is scheduled
	Notice     string
}

// PortalMessagesView is the client's inbox.
type PortalMessagesView struct {
	ProviderName string
	Unread       int
	Messages     []MessageRow
	Reply        ReplyForm
	Notice       string
}

// CrisisNote is the notice every client messaging page shows.
const CrisisNote = "Messages are not for emergencies. If you are in crisis, call or text 988 " +
	"(Suicide & Crisis Lifeline, US) or call 911."

// NotificationsView is the notification settings section, and for
// providers the automatic welcome message.
type NotificationsView struct {
	Email           bool
	Provider        bool // show the welcome message section
	WelcomeEnabled  bool
	WelcomeTemplate string
	Form            Form // errors "welcome_template"
	Notice          string
}

// unreadLabel is the accessible text of an unread count.
func unreadLabel(n int) string {
	if n == 1 {
		return "1 unread message"
	}
	return strconv.Itoa(n) + " unread messages"
}

// messageID is the element id of a message.
func messageID(id string) string { return "message-" + id }
