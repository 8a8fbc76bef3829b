package emulator

import (
	"regexp"
	"slices"
)

// model is the stored and the wire form of a WebSocket API's model.
type model struct {
	ContentType string `json:"contentType,omitempty"`
	Description string `json:"description,omitempty"`
	ModelID     string `json:"modelId"`
	Name        string `json:"name"`
	Schema      string `json:"schema,omitempty"`
}

// ModelInput is the body of CreateModel and UpdateModel, and a model in a
// seed file (with ID).
type ModelInput struct {
	ID          string  `json:"-" yaml:"id,omitempty"`
	ContentType *string `json:"contentType" yaml:"contentType,omitempty"`
	Description *string `json:"description" yaml:"description,omitempty"`
	Name        *string `json:"name" yaml:"name"`
	Schema      *string `json:"schema" yaml:"schema"`
}

var models = child[model, ModelInput]{
	kind:    "Model",
	items:   func(a *api) *[]model { return &a.models },
	id:      func(x *model) *string { return &x.ModelID },
	managed: func(*model) bool { return false },
	apply:   applyModel,
	inUse:   modelInUse,
}

// modelNameRE is API Gateway's rule for a model's name, which routes and
// route responses refer to it by.
var modelNameRE = regexp.MustCompile(`^[0-9A-Za-z]+$`)

func applyModel(a *api, siblings []model, x *model, self int, in *ModelInput, create bool) *apiError {
	if a.protocol != protoWebSocket {
		return badRequest("Models are supported only for WebSocket APIs")
	}
	if create {
		switch {
		case in.Name == nil:
			return badRequest("Missing required member name")
		case in.Schema == nil:
			return badRequest("Missing required member schema")
		}
	}
	next := *x
	setStr(&next.ContentType, in.ContentType)
	setStr(&next.Description, in.Description)
	setStr(&next.Name, in.Name)
	setStr(&next.Schema, in.Schema)
	if err := checkLen("name", next.Name, 1, 128); err != nil {
		return err
	}
	if !modelNameRE.MatchString(next.Name) {
		return badRequest("Invalid model name %q: use letters and digits only", next.Name)
	}
	if err := checkLen("schema", next.Schema, 0, 32768); err != nil {
		return err
	}
	if err := checkLen("description", next.Description, 0, 1024); err != nil {
		return err
	}
	for i, o := range siblings {
		if i != self && o.Name == next.Name {
			return conflict("Model with name %s already exists for this API", next.Name)
		}
	}
	if !create && next.Name != x.Name && modelInUse(a, x) != nil {
		return conflict("Model %s is referenced by a route or route response; change those first", x.Name)
	}
	*x = next
	return nil
}

// modelInUse refuses to delete a model a route's request models or a route
// response's response models name.
func modelInUse(a *api, x *model) *apiError {
	names := func(m map[string]string) bool {
		for _, v := range m {
			if v == x.Name {
				return true
			}
		}
		return false
	}
	for _, r := range a.routes {
		if names(r.RequestModels) || slices.ContainsFunc(r.responses, func(rr routeResponse) bool { return names(rr.ResponseModels) }) {
			return conflict("Model %s is used by route %s; change the route first", x.Name, r.RouteKey)
		}
	}
	return nil
}

// checkModels refuses request or response models that name no model of a.
func checkModels(a *api, member string, m map[string]string) *apiError {
	for ct, name := range m {
		if !slices.ContainsFunc(a.models, func(x model) bool { return x.Name == name }) {
			return badRequest("Invalid %s: model %q for content type %s does not exist in this API", member, name, ct)
		}
	}
	return nil
}
