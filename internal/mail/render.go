package mail

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strings"
	texttemplate "text/template"
)

// The templates: for each name, name.txt defines "subject" and "body",
// name.html defines "body"; layout.txt and layout.html wrap the body and
// add the footer.
//
//go:embed templates/*.html templates/*.txt
var templateFS embed.FS

// Keys the renderer sets itself; a Message's Data may not use them.
const (
	keySubject   = "Subject"
	keyPortalURL = "PortalURL"
)

// pair is one template parsed both ways.
type pair struct {
	text *texttemplate.Template
	html *htmltemplate.Template
}

// templates holds every mail template, parsed once at start-up.
var templates = mustParse(templateFS)

func mustParse(fsys fs.FS) map[string]pair {
	out, err := parse(fsys)
	if err != nil {
		panic(err)
	}
	return out
}

func parse(fsys fs.FS) (map[string]pair, error) {
	names, err := fs.Glob(fsys, "templates/*.txt")
	if err != nil {
		return nil, err
	}
	out := make(map[string]pair, len(names))
	for _, file := range names {
		name := strings.TrimSuffix(path.Base(file), ".txt")
		if name == "layout" {
			continue
		}
		text, err := texttemplate.New(name).Option("missingkey=error").
			ParseFS(fsys, "templates/layout.txt", "templates/"+name+".txt")
		if err != nil {
			return nil, fmt.Errorf("mail: parse %s.txt: %w", name, err)
		}
		html, err := htmltemplate.New(name).Option("missingkey=error").
			ParseFS(fsys, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("mail: parse %s.html: %w", name, err)
		}
		out[name] = pair{text: text, html: html}
	}
	return out, nil
}

// Templates lists the names of the mail templates.
func Templates() []string {
	names := make([]string, 0, len(templates))
	for name := range templates {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// content is a rendered message body.
type content struct {
	Subject string
	Text    string
	HTML    string
}

// render fills the named template with data. portalURL is Tend's base
// URL, shown in the footer. A key missing from data is an error, so a
// mail never goes out with a hole where its link should be.
func render(name string, data map[string]string, portalURL string) (content, error) {
	p, ok := templates[name]
	if !ok {
		return content{}, fmt.Errorf("mail: unknown template %q", name)
	}
	view := make(map[string]string, len(data)+2)
	for k, v := range data {
		if k == keySubject || k == keyPortalURL {
			return content{}, fmt.Errorf("mail: data key %q is reserved", k)
		}
		view[k] = v
	}
	view[keyPortalURL] = portalURL

	var subject, text, html bytes.Buffer
	if err := p.text.ExecuteTemplate(&subject, "subject", view); err != nil {
		return content{}, fmt.Errorf("mail: render %s subject: %w", name, err)
	}
	// A header must stay on one line whatever a template says.
	view[keySubject] = strings.Join(strings.Fields(subject.String()), " ")
	if err := p.text.ExecuteTemplate(&text, "layout", view); err != nil {
		return content{}, fmt.Errorf("mail: render %s text: %w", name, err)
	}
	if err := p.html.ExecuteTemplate(&html, "layout", view); err != nil {
		return content{}, fmt.Errorf("mail: render %s html: %w", name, err)
	}
	return content{Subject: view[keySubject], Text: text.String(), HTML: html.String()}, nil
}

// checkLink rejects a Link that is not a full http(s) URL: mail is read
// away from the portal, so a relative link would lead nowhere.
func checkLink(data map[string]string) error {
	link, ok := data["Link"]
	if !ok {
		return nil
	}
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("mail: Link must be a full http(s) URL built from the base URL")
	}
	return nil
}
