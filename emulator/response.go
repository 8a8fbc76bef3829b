package emulator

import (
	"encoding/json"
	"net/http"
)

// response is what an operation produces: a status and an encoded body
// (nil for no body).
type response struct {
	status int
	body   []byte
}

func okJSON(status int, v any) (response, *apiError) {
	b, err := json.Marshal(v)
	if err != nil {
		return response{}, &apiError{status: http.StatusInternalServerError, code: "InternalFailure", message: "encoding response: " + err.Error()}
	}
	return response{status: status, body: b}, nil
}

var noContent = response{status: http.StatusNoContent}
