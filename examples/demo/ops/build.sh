# Builds the app into app/build/app: a static binary (the image has no base to link against), with
# -trimpath and -buildvcs=false so that the same sources give the same bytes, hence the same image
# content tag, and Berth skips the image build when nothing changed. (go test, the next stage, vets.)
cd app
CGO_ENABLED=0 go build -trimpath -buildvcs=false -ldflags=-s -o build/app .
echo "built app/build/app ($(wc -c <build/app | tr -d ' ') bytes, sha256 $(sha256sum build/app | cut -c1-12)) at ${BERTH_COMMIT:-an uncommitted tree}"
