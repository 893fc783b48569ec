# The store-scale rows of bench/compare.sh (sourced by it, uses its functions and variables):
# encrypt and decrypt on a store of 1,000 identities, on one of $IDENTITIES, and on an identity whose
# ring has $RING_VERSIONS versions, each in a fresh server process on a copy of a seeded store, as
# ratios to the 1,000-identity figure, with the server's RSS after each row. Sets SCALE and SEEDING.
if [ "$SKIP_SCALE" = 1 ]; then
  return 0
fi

SCHEMA=$(dotnet "$SEEDER" schema-version)
SEED_NOTES=()

# seeded IDENTITIES RING_VERSIONS: the directory of a seeded store (cryptosecure.db, master.key,
# ring.key), made by the seeder unless cached under bench/.cache for this schema version.
seeded() {
  local dir="$CACHE/schema$SCHEMA-$1-identities-$2-ring"
  if [ -f "$dir/cryptosecure.db" ]; then
    SEED_NOTES+=("$(thousands "$1") identities: cached, seeded in $(cat "$dir/seconds") s")
  else
    log "  seeding $(thousands "$1") identities and a ring of $(thousands "$2") versions into $dir…"
    rm -rf "$dir.partial"; mkdir -p "$dir.partial"; chmod 700 "$CACHE" "$dir.partial"
    (umask 077; head -c 32 /dev/urandom | base64 >"$dir.partial/master.key")
    local start=$SECONDS
    Security__MasterKey=$(cat "$dir.partial/master.key") dotnet "$SEEDER" seed \
      "$dir.partial/cryptosecure.db" "$1" "$2" "$dir.partial/ring.key" >&2
    echo $(( SECONDS - start )) >"$dir.partial/seconds"
    mv "$dir.partial" "$dir"
    SEED_NOTES+=("$(thousands "$1") identities: seeded in $(cat "$dir/seconds") s")
  fi
  SEEDED=$dir
}

# scale_server DIR NAME: a fresh server on a copy of the seeded store in DIR.
scale_server() {
  rm -rf "$WORK/$2"; mkdir -m 700 "$WORK/$2"
  cp --sparse=always "$1/cryptosecure.db" "$WORK/$2/cryptosecure.db"
  start_server "$WORK/$2" "$(cat "$1/master.key")" "$2"
}

# scale_rows LABEL EMAIL API_KEY: encrypt, then decrypt, on the running server; sets ENC and DEC (req/s).
scale_rows() {
  log "  $1"
  body_from "$SERVER/api/v1/users/$2/encrypt" "$WORK/encrypt.json" ciphertext ciphertext "$WORK/scale-decrypt.json"
  # Each store gets a fresh server: warm it as the main table's server is (tiered PGO), so the rows compare steady states.
  measure "$SERVER/api/v1/users/$2/encrypt" "$WORK/encrypt.json" "" "$SERVER_WARMUP"
  measure "$SERVER/api/v1/users/$2/decrypt" "$WORK/scale-decrypt.json" "$3" "$SERVER_WARMUP"
  measured "$SERVER/api/v1/users/$2/encrypt" "$WORK/encrypt.json" ""
  ENC=$RPS ENC_CELL=$CELL ENC_RSS=$(rss_mb "$SERVER_PID")
  measured "$SERVER/api/v1/users/$2/decrypt" "$WORK/scale-decrypt.json" "$3"
  DEC=$RPS DEC_CELL=$CELL DEC_RSS=$(rss_mb "$SERVER_PID")
  stop "$SERVER_PID"
}

log "store scale"
seeded 1000 "$RING_VERSIONS"; SMALL=$SEEDED
seeded "$IDENTITIES" 0; LARGE=$SEEDED
SEEDING="stores seeded through the SQLite adapter, $(IFS=';'; echo "${SEED_NOTES[*]}" | sed 's/;/; /g')"

scale_server "$SMALL" scale-small
KEY=$(register scale@bench.example.com 2048)
scale_rows "1,000 identities" scale@bench.example.com "$KEY"
BASE_ENC=$ENC BASE_DEC=$DEC
SCALE_ENC="| encrypt, 1,000 identities | $ENC_CELL | 1.00 | | | $ENC_RSS |"$'\n'
SCALE_DEC="| decrypt, 1,000 identities | $DEC_CELL | 1.00 | | | $DEC_RSS |"$'\n'

scale_server "$LARGE" scale-large
KEY=$(register scale@bench.example.com 2048)
scale_rows "$(thousands "$IDENTITIES") identities" scale@bench.example.com "$KEY"
R=$(ratio "$ENC" "$BASE_ENC"); SCALE_ENC+="| encrypt, $(thousands "$IDENTITIES") identities | $ENC_CELL | $R | ≥ 0.85 | $(met "$R" 0.85) | $ENC_RSS |"$'\n'
R=$(ratio "$DEC" "$BASE_DEC"); SCALE_DEC+="| decrypt, $(thousands "$IDENTITIES") identities | $DEC_CELL | $R | ≥ 0.85 | $(met "$R" 0.85) | $DEC_RSS |"$'\n'

scale_server "$SMALL" scale-ring
scale_rows "a ring of $(thousands "$RING_VERSIONS") versions" ring@seed.bench.example.com "$(cat "$SMALL/ring.key")"
R=$(ratio "$ENC" "$BASE_ENC"); SCALE_ENC+="| encrypt, ring of $(thousands "$RING_VERSIONS") versions | $ENC_CELL | $R | ≥ 0.85 | $(met "$R" 0.85) | $ENC_RSS |"$'\n'
R=$(ratio "$DEC" "$BASE_DEC"); SCALE_DEC+="| decrypt, ring of $(thousands "$RING_VERSIONS") versions | $DEC_CELL | $R | ≥ 0.85 | $(met "$R" 0.85) | $DEC_RSS |"$'\n'
rm -rf "$WORK"/scale-*
SCALE=$SCALE_ENC$SCALE_DEC
