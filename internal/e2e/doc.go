// Package e2e holds Tend's end-to-end tests: they boot the real server
// (internal/app, demo mode, SQLite in a temporary directory) on a
// loopback port and drive a real headless Chromium through it with
// chromedp — signing in and out, enrolling and using two-factor
// authentication, the idle sign-out warning and sign-out, signing out
// everywhere, and a client's journey: created through the form, found by
// phone, sent a PHQ-9 that they fill and sign in the client portal, the
// score and chart on their page, and a signed note that cannot change.
//
// The package has no code outside its tests. The tests skip when no
// Chromium is found (TEND_TEST_CHROMIUM, else chromium, chromium-browser
// or google-chrome on PATH) unless TEND_TEST_REQUIRE_ALL=1, where a
// missing browser fails the run. With TEND_E2E_SCREENSHOTS set to a
// directory, they save screenshots of the dashboard, the settings page
// and the client pages there.
package e2e
