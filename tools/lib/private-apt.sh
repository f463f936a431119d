# Private apt for the fetch scripts: an apt configuration with its own
# state, cache, sources list and an empty dpkg status, for one suite and
# architecture of Debian's archive, so the host's package database, lists
# and archives are never read or written.
#
# Sourced, not run. The caller sets TOOL (its name, for messages), APTDIR,
# SUITE and ARCH, and may set DEBIAN_MIRROR; then calls private_apt_setup
# and uses apt_private like apt-get.

KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

die() {
  echo "$TOOL: error: $*" >&2
  exit 1
}

# --- Which mirror ------------------------------------------------------------
# No archive host name is written down here: the main Debian archive is taken
# from the host's own apt sources, i.e. the entry whose suite is the host's
# release codename itself (not -updates, -security or -backports).
host_codename() {
  local c=""
  if [[ -r /etc/os-release ]]; then
    c=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  fi
  echo "$c"
}

# Prints "URI SUITE" for each enabled binary ("deb") source on the host.
host_sources() {
  local f
  shopt -s nullglob
  for f in /etc/apt/sources.list.d/*.sources; do
    # deb822 stanzas are separated by blank lines; fields may repeat values.
    awk '
      function flush() {
        if (types ~ /(^| )deb( |$)/ && enabled !~ /^[Nn]o$/)
          for (i = 1; i <= nu; i++) for (j = 1; j <= ns; j++) print u[i], s[j]
        types = ""; enabled = ""; nu = 0; ns = 0
      }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      {
        key = tolower($1); sub(/:$/, "", key)
        if (key == "types") { $1 = ""; types = $0 " " }
        else if (key == "enabled") enabled = $2
        else if (key == "uris") for (i = 2; i <= NF; i++) u[++nu] = $i
        else if (key == "suites") for (i = 2; i <= NF; i++) s[++ns] = $i
      }
      END { flush() }
    ' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -r "$f" ]] || continue
    # deb [options] URI SUITE COMPONENTS...
    awk '$1 == "deb" {
      i = 2
      if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
      if (i + 1 <= NF) print $i, $(i + 1)
    }' "$f"
  done
  shopt -u nullglob
}

find_mirror() {
  local codename uri suite
  codename=$(host_codename)
  local fallback=""
  while read -r uri suite; do
    [[ "$uri" == http://* || "$uri" == https://* ]] || continue
    if [[ -n "$codename" && "$suite" == "$codename" ]]; then
      echo "$uri"
      return 0
    fi
    # Without a known codename, accept a plain suite (no "-security" etc.)
    # from an archive that is not the security one.
    if [[ -z "$fallback" && "$suite" != *-* && "$uri" != *security* ]]; then
      fallback=$uri
    fi
  done < <(host_sources)
  [[ -n "$fallback" ]] && echo "$fallback"
  return 0
}

# Writes the private configuration under $APTDIR and runs apt-get update
# against the host's archive; sets MIRROR.
private_apt_setup() {
  local tool
  for tool in apt-get dpkg-deb; do
    command -v "$tool" >/dev/null || die "'$tool' not found (needs a Debian-like host)"
  done
  [[ -r "$KEYRING" ]] || die "$KEYRING missing: install the debian-archive-keyring package"
  MIRROR=${DEBIAN_MIRROR:-$(find_mirror)}
  MIRROR=${MIRROR%/}
  [[ -n "$MIRROR" ]] ||
    die "cannot determine the Debian archive from /etc/apt (no deb source for the host's release); set DEBIAN_MIRROR=<archive uri>"
  echo "$TOOL: archive $MIRROR, suite $SUITE, arch $ARCH"
  mkdir -p "$APTDIR"/etc/preferences.d "$APTDIR"/state/lists/partial \
    "$APTDIR"/cache/archives/partial
  # The trixie signing keys are part of the keyring package that bookworm hosts
  # already carry, so the archive signature is verified as usual.
  echo "deb [arch=$ARCH signed-by=$KEYRING] $MIRROR $SUITE main" >"$APTDIR/etc/sources.list"
  # An empty dpkg status: apt then resolves the full dependency closure, as for
  # an empty $ARCH system, without ever looking at the host's installed set.
  : >"$APTDIR/state/status"
  cat >"$APTDIR/etc/apt.conf" <<EOF
// Private apt configuration for $TOOL (generated).
Dir::State "$APTDIR/state";
Dir::State::status "$APTDIR/state/status";
Dir::Cache "$APTDIR/cache";
Dir::Etc::SourceList "$APTDIR/etc/sources.list";
Dir::Etc::SourceParts "/dev/null";
Dir::Etc::Preferences "/dev/null";
Dir::Etc::PreferencesParts "$APTDIR/etc/preferences.d";
APT::Architecture "$ARCH";
#clear APT::Architectures;
APT::Architectures { "$ARCH"; };
APT::Install-Recommends "false";
APT::Install-Suggests "false";
// Nothing here is shared with the host's apt, so its locks are not needed.
Debug::NoLocking "true";
// The private directories belong to whoever runs this script; apt's download
// sandbox user could not write to them.
APT::Sandbox::User "root";
// The host's update hooks (PackageKit, AppStream) concern the host's lists.
#clear APT::Update::Post-Invoke-Success;
#clear APT::Update::Post-Invoke;
#clear DPkg::Post-Invoke;
#clear DPkg::Pre-Invoke;
EOF
  if [[ $(id -u) != 0 ]]; then
    sed -i '/^APT::Sandbox::User/d' "$APTDIR/etc/apt.conf"
  fi
  echo "$TOOL: apt-get update (private lists)"
  # --error-on=any: an unreachable archive is otherwise only a warning.
  apt_private -q --error-on=any update || die "apt-get update against $MIRROR failed"
}

apt_private() {
  # The host's apt.conf.d still applies first (proxies, retries), then ours.
  apt-get -c "$APTDIR/etc/apt.conf" "$@"
}

