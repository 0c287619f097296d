# Sourced by the demo and the benchmarks: runs the bundled emulator and describes a target for it.

# start_emulator BIN DIR [OPTION…]: starts `BIN emulator` on a free loopback port with the given
# emulator options, logging to DIR/emulator.log; sets EMULATOR_URL and EMULATOR_PID.
start_emulator() {
  "$1" emulator --port 0 "${@:3}" > "$2/emulator.log" 2>&1 &
  EMULATOR_PID=$!
  for _ in $(seq 1 100); do grep -q "listening on" "$2/emulator.log" && break; sleep 0.1; done
  EMULATOR_URL="$(sed -n 's/^listening on //p' "$2/emulator.log" | head -1)"
  if [ -z "$EMULATOR_URL" ]; then
    echo "the emulator did not start:" >&2
    cat "$2/emulator.log" >&2
    return 1
  fi
}

# sample_api_url DIR: the URL of the sample third-party API that `start_emulator … --sample-api-port 0`
# serves, once its line is in DIR/emulator.log; sets SAMPLE_API_URL.
sample_api_url() {
  for _ in $(seq 1 100); do grep -q "^sample API listening on" "$1/emulator.log" && break; sleep 0.1; done
  SAMPLE_API_URL="$(sed -n 's/^sample API listening on //p' "$1/emulator.log" | head -1)"
  [ -n "$SAMPLE_API_URL" ] || { echo "the sample API did not start:" >&2; cat "$1/emulator.log" >&2; return 1; }
}

# emulator_target NAME SECRET_VARIABLE: the `targets:` YAML of a target on the running emulator, with
# the emulator's built-in demo identity; the client secret is read from SECRET_VARIABLE.
emulator_target() {
  cat <<YAML
targets:
  $1:
    flowService:
      baseURL: $EMULATOR_URL/data/foundation/flowservice
      imsURL: $EMULATOR_URL
      orgId: EMULATOR0000000000000000@AdobeOrg
      sandbox: prod
      clientId: specsync-emulator
      clientSecret: {env: $2}
YAML
}

# emulator_flxpoint_target NAME TOKEN_VARIABLE: the `targets:` YAML of a Flxpoint target on the running
# emulator; the X-API-TOKEN is read from TOKEN_VARIABLE (the emulator's built-in one is
# flxpoint-emulator-token).
emulator_flxpoint_target() {
  cat <<YAML
targets:
  $1:
    kind: flxpoint
    flxpoint:
      baseURL: $EMULATOR_URL/flxpoint
      token: {env: $2}
YAML
}

# emulator_versori_target NAME KEY_VARIABLE: the `targets:` YAML of a Versori target on the running
# emulator's built-in organisation; the API key is read from KEY_VARIABLE (the emulator's built-in one
# is versori-emulator-key).
emulator_versori_target() {
  cat <<YAML
targets:
  $1:
    kind: versori
    versori:
      baseURL: $EMULATOR_URL/versori/api/connect/v1
      organisation: emulator-org
      apiKey: {env: $2}
YAML
}
