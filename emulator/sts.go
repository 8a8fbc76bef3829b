package emulator

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// sessionTokenPrefix marks session tokens AssumeRole issued, so that
// GetCallerIdentity can name the assumed role as AWS does.
const sessionTokenPrefix = "EMUSESSION"

var (
	roleARNRE     = regexp.MustCompile(`^arn:(aws[a-z-]*):iam::([0-9]{12}):role/(?:[\x21-\x7e]*/)?([\w+=,.@-]{1,64})$`)
	sessionNameRE = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)
)

func (s *Server) getCallerIdentity(w http.ResponseWriter, r *http.Request, cred credential) {
	account := s.accountFor(cred)
	arn := "arn:" + partition(cred.region) + ":iam::" + account + ":user/emulator"
	if sess, ok := parseSessionToken(r.Header.Get("X-Amz-Security-Token")); ok && sess.account == account {
		arn = "arn:" + partition(cred.region) + ":sts::" + account + ":assumed-role/" + sess.role + "/" + sess.name
	}
	type result struct {
		Arn     string `xml:"Arn"`
		UserID  string `xml:"UserId"`
		Account string `xml:"Account"`
	}
	writeXML(w, struct {
		XMLName   xml.Name `xml:"https://sts.amazonaws.com/doc/2011-06-15/ GetCallerIdentityResponse"`
		Result    result   `xml:"GetCallerIdentityResult"`
		RequestID string   `xml:"ResponseMetadata>RequestId"`
	}{
		Result:    result{Arn: arn, UserID: "AIDAEMULATOR" + account, Account: account},
		RequestID: w.Header().Get("X-Amzn-RequestId"),
	})
}

// assumeRole grants a role of the seed when the caller's account is in its
// trust list and the external id matches the one the role requires. The
// credentials' access key id is the role's account, which is how the
// emulator tells accounts apart, so requests signed with them land there.
func (s *Server) assumeRole(w http.ResponseWriter, r *http.Request, cred credential) {
	roleARN, session, extID := r.Form.Get("RoleArn"), r.Form.Get("RoleSessionName"), r.Form.Get("ExternalId")
	duration := 3600
	if d := r.Form.Get("DurationSeconds"); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || n < 900 || n > 43200 {
			writeSTSError(w, http.StatusBadRequest, "ValidationError", fmt.Sprintf("1 validation error detected: Value '%s' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200", d))
			return
		}
		duration = n
	}
	m := roleARNRE.FindStringSubmatch(roleARN)
	switch {
	case m == nil:
		writeSTSError(w, http.StatusBadRequest, "ValidationError", fmt.Sprintf("%s is invalid", roleARN))
		return
	case !sessionNameRE.MatchString(session):
		writeSTSError(w, http.StatusBadRequest, "ValidationError", fmt.Sprintf("1 validation error detected: Value '%s' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]* and have length between 2 and 64", session))
		return
	case extID != "" && (len(extID) < 2 || len(extID) > 1224):
		writeSTSError(w, http.StatusBadRequest, "ValidationError", "1 validation error detected: Value at 'externalId' failed to satisfy constraint: Member must have length between 2 and 1224")
		return
	}
	caller := s.accountFor(cred)
	target, roleName := m[2], m[3]
	if !s.mayAssume(caller, target, roleName, extID) {
		writeSTSError(w, http.StatusForbidden, "AccessDenied", fmt.Sprintf("User: arn:%s:iam::%s:user/emulator is not authorized to perform: sts:AssumeRole on resource: %s", m[1], caller, roleARN))
		return
	}
	type credentials struct {
		AccessKeyID     string `xml:"AccessKeyId"`
		SecretAccessKey string `xml:"SecretAccessKey"`
		SessionToken    string `xml:"SessionToken"`
		Expiration      string `xml:"Expiration"`
	}
	type assumedUser struct {
		AssumedRoleID string `xml:"AssumedRoleId"`
		Arn           string `xml:"Arn"`
	}
	type result struct {
		Credentials credentials `xml:"Credentials"`
		User        assumedUser `xml:"AssumedRoleUser"`
	}
	writeXML(w, struct {
		XMLName   xml.Name `xml:"https://sts.amazonaws.com/doc/2011-06-15/ AssumeRoleResponse"`
		Result    result   `xml:"AssumeRoleResult"`
		RequestID string   `xml:"ResponseMetadata>RequestId"`
	}{
		Result: result{
			Credentials: credentials{
				AccessKeyID:     target,
				SecretAccessKey: "emulator-secret-" + s.newID(16),
				SessionToken:    sessionToken(target, roleName, session),
				Expiration:      s.now().UTC().Add(time.Duration(duration) * time.Second).Truncate(time.Second).Format(time.RFC3339),
			},
			User: assumedUser{
				AssumedRoleID: "AROAEMULATOR" + target + ":" + session,
				Arn:           "arn:" + m[1] + ":sts::" + target + ":assumed-role/" + roleName + "/" + session,
			},
		},
		RequestID: w.Header().Get("X-Amzn-RequestId"),
	})
}

// mayAssume applies the seed's trust: the role exists in the target
// account, trusts the caller's account, and gets the external id it
// requires (a role that requires none ignores one, as a trust policy
// without an sts:ExternalId condition does).
func (s *Server) mayAssume(caller, target, roleName, extID string) bool {
	acct := s.opts.Seed.account(target)
	if acct == nil {
		return false
	}
	i := slices.IndexFunc(acct.Roles, func(r RoleSeed) bool { return r.Name == roleName })
	if i < 0 {
		return false
	}
	role := acct.Roles[i]
	return slices.Contains(role.Trust, caller) && (role.ExternalID == "" || role.ExternalID == extID)
}

type session struct{ account, role, name string }

func sessionToken(account, role, name string) string {
	return sessionTokenPrefix + base64.RawURLEncoding.EncodeToString([]byte(account+"/"+role+"/"+name))
}

func parseSessionToken(tok string) (session, bool) {
	rest, ok := strings.CutPrefix(tok, sessionTokenPrefix)
	if !ok {
		return session{}, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(rest)
	parts := strings.SplitN(string(raw), "/", 3)
	if err != nil || len(parts) != 3 {
		return session{}, false
	}
	return session{parts[0], parts[1], parts[2]}, true
}

func writeXML(w http.ResponseWriter, v any) {
	var buf bytes.Buffer
	if err := xml.NewEncoder(&buf).Encode(v); err != nil {
		writeSTSError(w, http.StatusInternalServerError, "InternalFailure", err.Error())
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	_, _ = w.Write(buf.Bytes())
}

// writeSTSError writes an error in the query protocol's XML envelope.
func writeSTSError(w http.ResponseWriter, status int, code, message string) {
	typ := "Sender"
	if status >= 500 {
		typ = "Receiver"
	}
	type stsError struct {
		Type    string `xml:"Type"`
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	}
	var buf bytes.Buffer
	_ = xml.NewEncoder(&buf).Encode(struct { // plain strings always encode
		XMLName   xml.Name `xml:"https://sts.amazonaws.com/doc/2011-06-15/ ErrorResponse"`
		Error     stsError `xml:"Error"`
		RequestID string   `xml:"RequestId"`
	}{Error: stsError{typ, code, message}, RequestID: w.Header().Get("X-Amzn-RequestId")})
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
