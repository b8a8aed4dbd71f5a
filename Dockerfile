# A render worker image: a static binary on an empty base.
#
#   docker build -t render .
#   mkdir -p out && docker run --rm --user "$(id -u):$(id -g)" -v "$PWD/out:/frames" render --frames 24 --out /frames
#
# The build stage compiles with cgo off, so the binary needs no C library and
# runs on scratch. deploy/deploy_test.go runs the same build command and checks
# that what it makes is static. An amd64 image is built with GOEXPERIMENT=simd:
# its AVX2 kernel evaluates the scene four points at a time and writes the same
# frames, byte for byte; on a processor without AVX2 it uses the portable kernel.
# `render --version` says which kernel runs.

FROM golang:1.26 AS build
ARG TARGETARCH
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN if [ "${TARGETARCH:-$(go env GOARCH)}" = amd64 ]; then export GOEXPERIMENT=simd; fi; CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/render ./cmd/render

FROM scratch
COPY --from=build /out/render /render
# Not root: give the output volume to this user (fsGroup 65532 on Kubernetes).
USER 65532:65532
WORKDIR /frames
ENTRYPOINT ["/render"]
