package fakeanytype

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"time"
)

const (
	pendingLifetime = 180 * time.Second // newer heart: an unanswered prompt
	codeLifetime    = 5 * time.Minute   // newer heart: a code after approval
	globalWrongLock = 20                // newer heart: wrong codes per run that lock pairing
)

type challenge struct {
	id, code, appName, caller string
	created, approvedAt       time.Time
	approved, gone            bool
	tries                     int
}

// CreateChallengeRequest is the body of POST /v1/auth/challenges. The type
// name shows in decoder errors, as the real one does.
type CreateChallengeRequest struct {
	AppName string `json:"app_name"`
}

// CreateApiKeyRequest is the body of POST /v1/auth/api_keys.
type CreateApiKeyRequest struct {
	ChallengeID string `json:"challenge_id"`
	Code        string `json:"code"`
}

func (s *Server) createChallenge(w http.ResponseWriter, r *http.Request, body []byte) {
	var req CreateChallengeRequest
	// A json.Decoder (not Unmarshal) gives gin's messages: "EOF" for an
	// empty body, "unexpected EOF" for "{".
	if err := json.NewDecoder(bytes.NewReader(body)).Decode(&req); err != nil {
		s.apiError(w, http.StatusBadRequest, err.Error())
		return
	}
	if req.AppName == "" {
		s.apiError(w, http.StatusBadRequest, "missing app name")
		return
	}
	if s.cfg.OpenRequest429 && s.hasOpen() {
		s.apiError(w, http.StatusTooManyRequests, "a pairing request is already open")
		return
	}
	ch, ok := s.newChallenge(req.AppName, caller(r))
	if !ok {
		s.apiError(w, http.StatusInternalServerError, "failed to create a new challenge")
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"challenge_id": ch})
}

func (s *Server) createAPIKey(w http.ResponseWriter, body []byte) {
	var req CreateApiKeyRequest
	if err := json.NewDecoder(bytes.NewReader(body)).Decode(&req); err != nil {
		s.apiError(w, http.StatusBadRequest, err.Error())
		return
	}
	if req.ChallengeID == "" || req.Code == "" {
		s.apiError(w, http.StatusBadRequest, "bad input: challenge_id or code is empty")
		return
	}
	key, ok := s.solve(req.ChallengeID, req.Code)
	if !ok {
		s.apiError(w, http.StatusInternalServerError, "failed to authenticate user")
		return
	}
	resp := map[string]any{"api_key": key}
	if s.newer() {
		resp["grant"] = s.grant()
	}
	writeJSON(w, http.StatusCreated, resp)
}

// displayCode is POST /v1/auth/display_code?app_name= (2025-04-22 and older).
func (s *Server) displayCode(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("app_name")
	if name == "" {
		s.apiError(w, http.StatusBadRequest, "missing app name")
		return
	}
	ch, ok := s.newChallenge(name, caller(r))
	if !ok {
		s.apiError(w, http.StatusInternalServerError, "failed to generate a new challenge")
		return
	}
	writeJSON(w, s.oldStatus(), map[string]string{"challenge_id": ch})
}

// token is POST /v1/auth/token?challenge_id=&code= (2025-04-22 and older).
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	id, code := q.Get("challenge_id"), q.Get("code")
	if id == "" || code == "" {
		s.apiError(w, http.StatusBadRequest, "invalid input")
		return
	}
	key, ok := s.solve(id, code)
	if !ok {
		s.apiError(w, http.StatusInternalServerError, "failed to authenticate user")
		return
	}
	resp := map[string]string{"app_key": key}
	if s.oldShape() {
		// Only heart <= 0.40.19 adds the ephemeral session token.
		resp["session_token"] = "eyJhbGciOiJIUzI1NiJ9." + randomHex(16) + "." + randomHex(16)
	}
	writeJSON(w, s.oldStatus(), resp)
}

// caller identifies who asks, as newer heart does for its per-caller limits:
// the browser Origin, else the native process (here: its User-Agent).
func caller(r *http.Request) string {
	if o := r.Header.Get("Origin"); o != "" {
		return "origin:" + o
	}
	return "native:" + r.UserAgent()
}

// hasOpen reports whether a challenge is neither solved nor expired.
func (s *Server) hasOpen() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	for _, ch := range s.challenges {
		if !ch.gone && !s.expire(ch, now) {
			return true
		}
	}
	return false
}

// newChallenge applies the caps and records a challenge. It returns the id,
// or false where the real backend refuses (all refusals are one 500).
func (s *Server) newChallenge(appName, caller string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fault == Fault500Create || s.capCount >= s.cfg.ChallengeCap {
		return "", false
	}
	now := time.Now()
	if s.cfg.NeedsApproval {
		if s.wrongTotal >= globalWrongLock {
			return "", false
		}
		for _, ch := range s.challenges {
			if ch.gone || ch.caller != caller || s.expire(ch, now) {
				continue
			}
			if !ch.approved {
				return "", false // one pending prompt per caller
			}
			ch.gone = true // a repeat request replaces an approved, unsolved one
		}
	}
	ch := &challenge{id: randomHex(12), appName: appName, caller: caller, created: now}
	if !s.cfg.NeedsApproval {
		ch.code = randomCode()
	}
	s.challenges[ch.id] = ch
	s.order = append(s.order, ch.id)
	s.capCount++
	s.created++
	if s.cfg.NeedsApproval && s.cfg.ApproveAfter > 0 {
		id := ch.id
		time.AfterFunc(s.cfg.ApproveAfter, func() { s.Approve(id) })
	}
	s.broadcast()
	return ch.id, true
}

// expire marks ch gone once newer heart would have dropped it; s.mu held.
func (s *Server) expire(ch *challenge, now time.Time) bool {
	if !s.cfg.NeedsApproval || ch.gone {
		return ch.gone
	}
	if !ch.approved && now.Sub(ch.created) > pendingLifetime ||
		ch.approved && now.Sub(ch.approvedAt) > codeLifetime {
		ch.gone = true
	}
	return ch.gone
}

// solve checks code against challenge id and mints a key when it matches.
// Every failure is the same to the caller, as on the real server.
func (s *Server) solve(id, code string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.challenges[id]
	if s.fault == Fault500Solve || ch == nil || s.expire(ch, time.Now()) {
		return "", false
	}
	if s.cfg.NeedsApproval && !ch.approved {
		return "", false
	}
	if code != ch.code { // exact string compare: no trimming, leading zeros count
		ch.tries++
		if s.cfg.NeedsApproval {
			s.wrongTotal++
		}
		if s.cfg.MaxTries > 0 && ch.tries >= s.cfg.MaxTries {
			ch.gone = true
		}
		return "", false
	}
	ch.gone = true
	if s.cfg.NeedsApproval {
		s.wrongTotal = 0
		s.capCount = 0 // newer heart resets its per-run counter on a solve
	}
	key := s.mintKey()
	s.keys = append(s.keys, key)
	s.valid[key] = keyInfo{appName: ch.appName, grant: s.grant(), scope: ScopeJSONAPI, created: time.Now().UTC().Truncate(time.Second)}
	return key, true
}

// Approve approves challenge id as the user would in the desktop's prompt
// and returns the code the desktop then shows ("" for an unknown, solved or
// expired challenge). Approving twice returns the same code.
func (s *Server) Approve(id string) (code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.challenges[id]
	if ch == nil || s.expire(ch, time.Now()) {
		return ""
	}
	if !ch.approved {
		ch.approved, ch.approvedAt = true, time.Now()
		if ch.code == "" {
			ch.code = randomCode()
		}
		s.broadcast()
	}
	return ch.code
}

// WaitPending returns the next challenge still awaiting approval, created
// since the last WaitPending call (for approving from another goroutine).
func (s *Server) WaitPending(ctx context.Context) (string, error) {
	for {
		s.mu.Lock()
		for s.nextPending < len(s.order) {
			ch := s.challenges[s.order[s.nextPending]]
			s.nextPending++
			if !ch.approved && !ch.gone {
				s.mu.Unlock()
				return ch.id, nil
			}
		}
		wait := s.changed
		s.mu.Unlock()
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-wait:
		}
	}
}

// randomCode is 4 decimal digits, zero-padded, as Anytype draws them.
func randomCode() string {
	n, err := rand.Int(rand.Reader, big.NewInt(10000))
	if err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return fmt.Sprintf("%04d", n.Int64())
}

func randomHex(n int) string {
	return hex.EncodeToString(randomBytes(n))
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// Code returns the code of challenge id and whether one exists yet (false
// before approval with NeedsApproval, or for an unknown id).
func (s *Server) Code(id string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.challenges[id]
	if ch == nil || ch.code == "" {
		return "", false
	}
	return ch.code, true
}
