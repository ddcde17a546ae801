package notify

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/pulsehq/pulse/fault"
)

// SignInPath is where the `/pulse dashboard` link lands.
const SignInPath = "/signin"

// SignInRedeemer exchanges a one-time code for an API token; *auth.SignIns
// implements it.
type SignInRedeemer interface {
	Redeem(ctx context.Context, code string) (token string, employeeID int64, err error)
}

// SignInHandler serves GET /signin?code=…, the link `/pulse dashboard`
// sends: it exchanges the one-time code for a fresh API token and sends the
// browser on to the dashboard with the token in the URL fragment, which
// browsers never send to a server, so it reaches no access log.
func SignInHandler(signIns SignInRedeemer, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Referrer-Policy", "no-referrer")
		token, _, err := signIns.Redeem(r.Context(), r.URL.Query().Get("code"))
		switch {
		case errors.Is(err, fault.ErrUnauthenticated):
			http.Error(w, "This sign-in link has expired or was already used. Type /pulse dashboard in Slack for a new one.", http.StatusGone)
		case err != nil:
			logger.Error("sign-in link failed", "err", err)
			http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		default:
			http.Redirect(w, r, "/#token="+token, http.StatusSeeOther)
		}
	})
}
