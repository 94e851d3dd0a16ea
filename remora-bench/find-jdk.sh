#!/usr/bin/env bash
# Sourced by the benchmark launcher scripts: finds a JDK >= 21 the way the build does
# (maven-toolchains-plugin select-jdk-toolchain looks at JAVA_HOME and the JDKs installed under
# /usr/lib/jvm): every candidate's `release` file is read and the highest major version >= 21 wins.
#
#   source remora-bench/find-jdk.sh
#   java_bin="$(remora_find_java)" || exit 1

# Prints the home of the highest JDK >= 21 (JAVA_HOME first among equals); fails if there is none.
remora_find_jdk() {
  local best="" best_major=0 home version major
  for home in ${JAVA_HOME:+"$JAVA_HOME"} /usr/lib/jvm/*; do
    [ -x "$home/bin/java" ] && [ -f "$home/release" ] || continue
    version="$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$home/release")"
    major="${version%%[.+-]*}"
    [ "$major" = "1" ] && major="$(echo "$version" | cut -d. -f2)"
    case "$major" in ''|*[!0-9]*) continue ;; esac
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$home"
      best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    echo "no JDK >= 21 found in JAVA_HOME or /usr/lib/jvm" >&2
    return 1
  fi
  echo "$best"
}

# Prints the java binary of remora_find_jdk.
remora_find_java() {
  local home
  home="$(remora_find_jdk)" || return 1
  echo "$home/bin/java"
}
