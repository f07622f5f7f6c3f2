# Sourced by the scripts that provide a tool the tests need from Debian's packages (chromium.sh, graphviz.sh): the one
# way they find it on PATH, or install it with apt as root, or say in one line why this machine cannot provide it.
# Only bash builtins decide availability, so the tests can run the scripts with PATH emptied, as another user.
#
# The sourcing script sets `script` to its own name first (for the messages).

# unavailable REASON: this machine cannot provide the tool; the tests skip on exit 3 unless CI is set.
unavailable() { echo "$script: $*" >&2; exit 3; }

# find_or_install COMMAND PACKAGE NOT-INSTALLED-REASON [ALTERNATIVE]: prints the path of COMMAND, installing PACKAGE
# with apt when it is missing and this runs as root. ALTERNATIVE ("set DR_X") is offered when apt fails.
find_or_install() {
  local command=$1 package=$2 reason=$3 alternative=${4:-}
  local found
  if found="$(command -v "$command")"; then echo "$found"; return 0; fi
  (( EUID == 0 )) || unavailable "$reason"
  echo "$script: installing $package from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "$package"; } >&2; then
    unavailable "apt-get install $package failed (see the apt output above); install it by hand${alternative:+ or $alternative}"
  fi
  found="$(command -v "$command")" || unavailable "apt-get installed $package but no $command is on PATH"
  echo "$found"
}
