package web

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
)

// healthz answers 200 while the process runs.
func (s *server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte("ok\n"))
}

// readyz answers 200 when the database answers and every migration is
// applied, and 503 with the reason otherwise, so a load balancer only
// sends traffic to a copy that can serve it.
func (s *server) readyz(w http.ResponseWriter, r *http.Request) error {
	reason, err := s.notReady(r.Context())
	status, body := http.StatusOK, map[string]string{"status": "ready"}
	if reason != "" {
		s.Logger.LogAttrs(r.Context(), slog.LevelWarn, "not ready",
			slog.String("reason", reason), slog.Any("error", err))
		status = http.StatusServiceUnavailable
		body = map[string]string{"status": "unavailable", "reason": reason}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
	return nil
}

// notReady returns why the instance cannot serve, or "" when it can.
func (s *server) notReady(ctx context.Context) (string, error) {
	if err := s.DB.Ping(ctx); err != nil {
		return "database unreachable", err
	}
	n, err := s.DB.Pending(ctx)
	if err != nil {
		return "migration status unknown", err
	}
	if n > 0 {
		return fmt.Sprintf("%d migrations pending", n), nil
	}
	return "", nil
}
