package e2e

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tend-portal/tend/internal/store/storetest"
)

// testTimeout bounds everything one test does in the browser, so a hung
// page fails the test instead of the CI run.
const testTimeout = 60 * time.Second

// waitTimeout bounds one wait for a page or an element.
const waitTimeout = 15 * time.Second

// chromiumPath finds the browser: TEND_TEST_CHROMIUM, else a known name
// on PATH. Without one the test is skipped, or fails under
// TEND_TEST_REQUIRE_ALL=1.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("TEND_TEST_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("TEND_TEST_CHROMIUM=%s: %v", p, err)
		}
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	const msg = "no Chromium found: set TEND_TEST_CHROMIUM or put chromium on PATH"
	if storetest.RequireAll() {
		t.Fatal(msg + " (TEND_TEST_REQUIRE_ALL=1)")
	}
	t.Skip(msg)
	return ""
}

// browser is one headless Chromium for one test. Each signed-in person
// in the test gets their own browser context (see newUser), so their
// cookies are apart.
type browser struct {
	ctx context.Context // the browser's first tab; its parent carries the deadline
	srv *server
}

// start looks for Chromium (skipping the test without one), starts the
// server and then the browser, and stops both when the test ends.
func start(t *testing.T) *browser {
	t.Helper()
	path := chromiumPath(t)
	return newBrowser(t, path, startServer(t))
}

// newBrowser starts Chromium for the test and closes it when the test
// ends. Every browser action of the test must finish within testTimeout.
func newBrowser(t *testing.T, path string, srv *server) *browser {
	t.Helper()
	profile := t.TempDir()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
	)
	deadline, cancelDeadline := context.WithTimeout(context.Background(), testTimeout)
	alloc, cancelAlloc := chromedp.NewExecAllocator(deadline, opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
		cancelDeadline()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium %s: %v", path, err)
	}
	return &browser{ctx: ctx, srv: srv}
}

// user is one person at one browser: a tab in a browser context of its
// own, with its own cookies.
type user struct {
	t   *testing.T
	ctx context.Context
	srv *server
}

// newUser opens a fresh browser context with one tab.
func (b *browser) newUser(t *testing.T) *user {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open browser context: %v", err)
	}
	return &user{t: t, ctx: ctx, srv: b.srv}
}

// newTab opens another tab in the same browser context: the same
// person, with the same cookies.
func (u *user) newTab() *user {
	u.t.Helper()
	ctx, cancel := chromedp.NewContext(u.ctx)
	u.t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		u.t.Fatalf("open tab: %v", err)
	}
	return &user{t: u.t, ctx: ctx, srv: u.srv}
}

// do runs browser actions, failing the test with where the tab was.
func (u *user) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	u.t.Helper()
	if err := chromedp.Do(u.ctx, actions...); err != nil {
		u.t.Fatalf("%s: %v (page %s)", what, err, u.where())
	}
}

// where is the tab's address, for failure messages.
func (u *user) where() string {
	ctx, cancel := context.WithTimeout(u.ctx, 2*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "unknown: " + err.Error()
	}
	return loc
}

// open loads a path of the server and waits for the page to be ready.
func (u *user) open(path string) {
	u.t.Helper()
	u.do("open "+path, chromedp.Navigate(u.srv.url+path))
}

// waitPath waits until the tab shows a page at path (the path only, any
// query) that has finished loading, and returns the full address.
func (u *user) waitPath(path string) *url.URL {
	u.t.Helper()
	u.waitFor("page "+path,
		`location.pathname === `+strconv.Quote(path)+` && document.readyState === "complete"`)
	loc, err := url.Parse(u.where())
	if err != nil {
		u.t.Fatalf("parse location: %v", err)
	}
	return loc
}

// waitFor evaluates a JavaScript condition until it is true. It asks
// again after errors too: while the tab navigates, the page it asked
// may go away under the question.
func (u *user) waitFor(what, cond string) {
	u.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	var last error
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(u.ctx, 2*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](cond))
		cancel()
		if err == nil && ok {
			return
		}
		if u.ctx.Err() != nil {
			break
		}
		last = err
		time.Sleep(50 * time.Millisecond)
	}
	u.t.Fatalf("wait for %s: not true after %s (last error %v, page %s)", what, waitTimeout, last, u.where())
}

// text is the rendered text of the first element sel matches, waiting
// for it to appear.
// lastText returns the text of the last element matching sel: the newest
// message of a thread that already has the demo's conversation in it.
func (u *user) lastText(sel string) string {
	u.t.Helper()
	js := `(function(){var all=document.querySelectorAll(` + strconv.Quote(sel) + `);` +
		`return all.length ? all[all.length-1].innerText : "<none>"})()`
	return strings.TrimSpace(eval[string](u, js))
}

func (u *user) text(sel string) string {
	u.t.Helper()
	ctx, cancel := context.WithTimeout(u.ctx, waitTimeout)
	defer cancel()
	got, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		u.t.Fatalf("read %s: %v (page %s)", sel, err, u.where())
	}
	return strings.TrimSpace(got)
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](u *user, expr string) T {
	u.t.Helper()
	got, err := chromedp.Run(u.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		u.t.Fatalf("evaluate %s: %v (page %s)", expr, err, u.where())
	}
	return got
}

// fill types into form fields, by element id, after clearing them.
func (u *user) fill(fields map[string]string) {
	u.t.Helper()
	for id, value := range fields {
		u.do("fill #"+id,
			chromedp.WaitVisible(chromedp.ID(id)),
			chromedp.Clear(chromedp.ID(id)),
			chromedp.SendKeys(chromedp.ID(id), value))
	}
}

// click clicks the element with the id once it is visible.
func (u *user) click(id string) {
	u.t.Helper()
	u.do("click #"+id, chromedp.WaitVisible(chromedp.ID(id)), chromedp.Click(chromedp.ID(id)))
}

// clickCSS clicks the first element the CSS selector matches once it
// is visible.
func (u *user) clickCSS(sel string) {
	u.t.Helper()
	u.do("click "+sel, chromedp.WaitVisible(chromedp.CSS(sel)), chromedp.Click(chromedp.CSS(sel)))
}

// signIn fills in the login form and submits it; the caller waits for
// where the server sends the browser.
func (u *user) signIn(email string, password string) {
	u.t.Helper()
	u.open("/login")
	u.fill(map[string]string{"login-email": email, "login-password": password})
	u.click("login-submit")
}

// screenshot saves the page as name.png in TEND_E2E_SCREENSHOTS, when
// that is set.
func (u *user) screenshot(name string) {
	u.t.Helper()
	dir := os.Getenv("TEND_E2E_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(u.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		u.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		u.t.Fatalf("screenshot directory: %v", err)
	}
	file := filepath.Join(dir, name+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		u.t.Fatalf("save screenshot: %v", err)
	}
	u.t.Logf("screenshot: %s", file)
}
