#!/usr/bin/env bash
# testbed/apptainer-stand-in.sh -- an `apptainer` for tests, for argv and flow only: no Apptainer
# package exists on these machines. Copy it as `apptainer` (or `singularity`) into a folder that a
# setup line puts on PATH.
#
# Every call appends one line to calls.log next to this file: the host name, then each argv word,
# tab-separated. With STANDIN_CALL_LOG set, `build` calls are also appended there ("apptainer build
# ARGS"), so a test can order them against the SLURM wrappers' calls in the same file.
#   build [--force] IMAGE SOURCE   writes a small file at IMAGE; SOURCE docker://fail/... fails
#   exec [OPTIONS] IMAGE CMD ...   runs CMD natively with the environment Apptainer would give it:
#                                  APPTAINERENV_K / SINGULARITYENV_K become K (APPTAINERENV_ wins),
#                                  then --env values, which Apptainer parses as CSV (a comma splits
#                                  them, a '"' is a parse error, apptainer/apptainer#1152);
#                                  --cleanenv drops the rest of the host's environment but PATH and
#                                  HOME. Options that take a value (--bind, -B, --env, --home, --pwd,
#                                  --overlay) consume the next word unless written as --opt=value
#   --version                      prints a version line
set -u
here=$(cd "$(dirname "$0")" && pwd)
name=$(basename "$0")
{
  printf '%s' "$(hostname)"
  printf '\t%s' "$name" "$@"
  printf '\n'
} >>"$here/calls.log"

case ${1:-} in
  --version)
    echo "$name version 0.0.0-stand-in"
    ;;
  build)
    shift
    [[ "${STANDIN_CALL_LOG:-}" ]] && echo "$name build $*" >>"$STANDIN_CALL_LOG"
    [[ "${1:-}" == --force ]] && shift
    image=$1 source=$2
    if [[ "$source" == docker://fail/* ]]; then
      echo "FATAL:   While making image from oci registry: failed to get checksum for $source: unauthorized" >&2
      exit 255
    fi
    printf 'stand-in image of %s\n' "$source" >"$image"
    ;;
  exec)
    shift
    inside=() cleanenv=0
    for prefix in SINGULARITYENV_ APPTAINERENV_; do
      for v in $(compgen -e); do
        [[ "$v" == "$prefix"?* ]] && inside+=("${v#"$prefix"}=${!v}")
      done
    done
    # env_option VALUE: what Apptainer's CSV parsing of --env makes of VALUE.
    env_option() {
      if [[ "$1" == *'"'* ]]; then
        echo "Error for command \"exec\": invalid argument \"$1\" for \"--env\" flag: parse error: bare \" in non-quoted-field" >&2
        exit 255
      fi
      local pair
      IFS=, read -r -a pairs <<<"$1"
      for pair in "${pairs[@]}"; do
        [[ "$pair" == ?*=* ]] && inside+=("$pair")
      done
    }
    while (($# > 0)); do
      case $1 in
        --env) env_option "$2"; shift 2 ;;
        --env=*) env_option "${1#--env=}"; shift ;;
        --cleanenv | -e) cleanenv=1; shift ;;
        --bind | -B | --home | --pwd | --overlay) shift 2 ;;
        -*) shift ;;
        *) break ;;
      esac
    done
    image=$1
    shift
    [[ -e "$image" ]] || { echo "FATAL:   could not open image $image: no such file" >&2; exit 255; }
    if ((cleanenv)); then
      exec env -i PATH="$PATH" HOME="${HOME:-}" "${inside[@]}" "$@"
    fi
    exec env "${inside[@]}" "$@"
    ;;
  *)
    echo "$name stand-in: unsupported command: $*" >&2
    exit 2
    ;;
esac
