package app

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// server is the listener and HTTP server of a running App.
type server struct {
	ln      net.Listener
	http    *http.Server
	running bool
}

// Listen opens the listening socket at the configured address and
// returns the address it got, so a caller that asked for port 0 learns
// the real one. Run calls it when it has not been called.
func (a *App) Listen() (net.Addr, error) {
	if a.server != nil {
		return a.server.ln.Addr(), nil
	}
	srv, err := a.newHTTPServer()
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", a.cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s (check --addr / TEND_ADDR; "+
			"is another process using the port?): %w", a.cfg.Addr, err)
	}
	a.server = &server{ln: ln, http: srv}
	return ln.Addr(), nil
}

// URL returns the address to open in a browser once Listen has run.
func (a *App) URL() string {
	if a.server == nil {
		return a.cfg.BaseURL
	}
	scheme := "http"
	if a.cfg.TLS() {
		scheme = "https"
	}
	host, port, err := net.SplitHostPort(a.server.ln.Addr().String())
	if err != nil {
		return a.cfg.BaseURL
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return scheme + "://" + net.JoinHostPort(host, port)
}

// newHTTPServer configures the server, loading the TLS certificate
// first so that a bad file is reported before anything listens.
func (a *App) newHTTPServer() (*http.Server, error) {
	srv := &http.Server{
		Handler:           a.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(a.logger.Handler(), slog.LevelWarn),
	}
	if a.cfg.TLS() {
		cert, err := tls.LoadX509KeyPair(a.cfg.TLSCertFile, a.cfg.TLSKeyFile)
		if err != nil {
			return nil, fmt.Errorf("load TLS certificate %s and key %s (check --tls-cert and --tls-key): %w",
				a.cfg.TLSCertFile, a.cfg.TLSKeyFile, err)
		}
		srv.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}
	}
	return srv, nil
}

// Run starts the job queue and serves HTTP until ctx ends. Then it shuts
// down in order: stop accepting connections and let in-flight requests
// finish, stop the queue after its running jobs finish, close the
// database. It returns nil after a clean shutdown.
func (a *App) Run(ctx context.Context) error {
	if _, err := a.Listen(); err != nil {
		return errors.Join(err, a.Close())
	}
	if a.server.running {
		return errAlreadyRunning
	}
	a.server.running = true

	// The queue outlives ctx so that its running jobs are not cancelled
	// mid-way; Stop below ends it gracefully.
	if err := a.queue.Start(context.WithoutCancel(ctx)); err != nil {
		return errors.Join(fmt.Errorf("start job queue: %w", err), a.Close())
	}

	srv := a.server.http
	served := make(chan error, 1)
	go func() {
		var err error
		if a.cfg.TLS() {
			// The certificate is already in srv.TLSConfig.
			err = srv.ServeTLS(a.server.ln, "", "")
		} else {
			err = srv.Serve(a.server.ln)
		}
		served <- err
	}()
	a.logger.Info("server started", "addr", a.server.ln.Addr().String(),
		"tls", a.cfg.TLS(), "demo", a.cfg.Demo)

	var serveErr error
	select {
	case err := <-served:
		// The server stopped on its own: a TLS file problem or a
		// listener failure. Shut the rest down and report it.
		if !errors.Is(err, http.ErrServerClosed) {
			serveErr = fmt.Errorf("serve http: %w", err)
		}
	case <-ctx.Done():
		a.logger.Info("shutting down", "timeout", a.shutdownTimeout().String())
	}
	return errors.Join(serveErr, a.shutdown(srv))
}

// shutdown stops the server, then the queue, then closes the database.
func (a *App) shutdown(srv *http.Server) error {
	var errs []error
	httpCtx, cancel := context.WithTimeout(context.Background(), a.shutdownTimeout())
	defer cancel()
	if err := srv.Shutdown(httpCtx); err != nil {
		errs = append(errs, fmt.Errorf("shut down http server: %w", err))
	}

	jobsCtx, cancel := context.WithTimeout(context.Background(), a.shutdownTimeout())
	defer cancel()
	if err := a.queue.Stop(jobsCtx); err != nil {
		errs = append(errs, fmt.Errorf("stop job queue: %w", err))
	}
	errs = append(errs, a.Close())
	if err := errors.Join(errs...); err != nil {
		return err
	}
	a.logger.Info("server stopped")
	return nil
}

// RedactURL returns a database URL fit for a message: a PostgreSQL URL
// without its password and query, or the SQLite path as given.
func RedactURL(raw string) string {
	if !strings.Contains(raw, "://") {
		return raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable database URL)"
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	u.RawQuery = ""
	return u.String()
}
