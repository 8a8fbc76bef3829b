# syntax=docker/dockerfile:1
# apigw2tf and OpenTofu in one image (docs/install.md).
#
#   docker build -t apigw2tf .                     # minimal: distroless, apigw2tf as entrypoint
#   docker build --target audit -t apigw2tf-audit . # adds a shell, git, gh and the AWS CLI for the
#                                                   # Kubernetes CronJob in examples/kubernetes/
#
# OpenTofu is built from source at the version tools/versions.env pins, by
# tools/build.sh, as `make tools` builds it. Both binaries are static
# (CGO_ENABLED=0), so they run on a base without a C library.
ARG GO_IMAGE=golang:1.26-bookworm

FROM ${GO_IMAGE} AS tofu
ENV CGO_ENABLED=0
WORKDIR /src
COPY tools/ tools/
RUN tools/build.sh tofu

FROM ${GO_IMAGE} AS build
ENV CGO_ENABLED=0
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
ARG COMMIT=
ARG DATE=
RUN go build -trimpath -ldflags "-s -w -X main.version=${VERSION} -X main.commit=${COMMIT} -X main.date=${DATE}" \
      -o /out/apigw2tf ./cmd/apigw2tf

# For scripts: the CronJob clones a repository, audits, copies reports to
# S3 and comments on an issue.
FROM debian:bookworm-slim AS audit
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates git gh awscli \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --uid 65532 --user-group --home-dir /work --no-create-home nonroot
COPY --from=tofu /src/.tools/bin/tofu /usr/local/bin/tofu
COPY --from=build /out/apigw2tf /usr/local/bin/apigw2tf
ENV APIGW2TF_TERRAFORM=/usr/local/bin/tofu TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/apigw2tf"]

# The default image: the two binaries and CA certificates, nothing else.
FROM gcr.io/distroless/static-debian12:nonroot AS apigw2tf
COPY --from=tofu /src/.tools/bin/tofu /usr/local/bin/tofu
COPY --from=build /out/apigw2tf /usr/local/bin/apigw2tf
ENV APIGW2TF_TERRAFORM=/usr/local/bin/tofu TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/apigw2tf"]
