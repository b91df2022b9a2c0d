#!/usr/bin/env bash
# Assembles the servers' base image as a `docker save` tarball that Jib builds on (tar://…), without
# a container engine or a registry: the C and C++ runtime from this machine's Debian packages
# (libc6, libgcc-s1, libstdc++6, zlib1g), a Java runtime made by jlink from the JDK that built and
# tested the jars, a non-root user (65532, "nonroot") and a writable /tmp. No shell, no package
# manager. The packages' names and versions are recorded as a label and under /var/lib/dpkg/status.d
# (where image scanners look). Layers are written with fixed owners, order and times, so the same
# packages and JDK give the same image digest.
#
#   images/base.sh OUTPUT.tar JAVA_HOME
set -euo pipefail

out=$1
java_home=$2
packages=(libc6 libgcc-s1 libstdc++6 zlib1g)
# what the two servers use (jdeps over their class paths), plus TLS with EC keys and DNS lookups
modules=java.base,java.compiler,java.desktop,java.instrument,java.management,java.naming,java.net.http,\
java.scripting,java.security.jgss,java.security.sasl,java.sql,java.xml,jdk.crypto.ec,jdk.management,\
jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs

command -v dpkg-query >/dev/null || { echo "images/base.sh: needs a Debian machine (dpkg-query)" >&2; exit 1; }
[ -x "$java_home/bin/jlink" ] && [ -d "$java_home/jmods" ] \
  || { echo "images/base.sh: $java_home has no jlink and jmods (install openjdk-17-jdk-headless)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
os=$work/os
jre=$work/java
mkdir -p "$os" "$jre/opt" "$work/image"

# 1. the Debian runtime libraries, in merged-/usr layout (/lib is a link to usr/lib, as on Debian 12)
versions=()
for pkg in "${packages[@]}"; do
  version=$(dpkg-query -W -f='${Version}' "$pkg:amd64" 2>/dev/null || dpkg-query -W -f='${Version}' "$pkg")
  versions+=("$pkg=$version")
  mkdir -p "$os/var/lib/dpkg/status.d"
  dpkg-query -s "$pkg" | grep -v '^Status:' > "$os/var/lib/dpkg/status.d/$pkg"
  dpkg-query -L "$pkg" | while read -r path; do
    case "$path" in
      /usr/share/doc/*|/usr/share/man/*|/usr/share/lintian/*|/usr/share/gcc/*|/usr/share/gdb/*|*/gconv/*|/etc/ld.so.conf.d*) continue ;;
    esac
    [ -d "$path" ] && continue # directories (and the /lib, /lib64 links) come with their files
    [ -f "$path" ] || [ -L "$path" ] || continue
    dest=$path
    case "$dest" in /lib/*|/lib64/*|/bin/*|/sbin/*) dest=/usr$dest ;; esac
    mkdir -p "$os$(dirname "$dest")"
    cp -P --preserve=mode "$path" "$os$dest"
  done
done
ln -s usr/lib "$os/lib"
ln -s usr/lib64 "$os/lib64"
ln -s usr/bin "$os/bin"
ln -s usr/sbin "$os/sbin"
mkdir -p "$os/etc" "$os/tmp" "$os/usr/bin" "$os/usr/sbin"
chmod 1777 "$os/tmp"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/nonexistent:/sbin/nologin\n' > "$os/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' > "$os/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$os/etc/nsswitch.conf"
cp /usr/lib/os-release "$os/etc/os-release"

# 2. the Java runtime
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --output "$jre/opt/java"
java_version=$("$jre/opt/java/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')

layer() { # deterministic tar of a directory; prints its sha256 (the diff_id)
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=posix \
      --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
      -C "$1" -cf "$2" .
  sha256sum "$2" | cut -d' ' -f1
}
os_id=$(layer "$os" "$work/image/os.tar")
java_id=$(layer "$jre" "$work/image/java.tar")

cat > "$work/image/config.json" <<JSON
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",\
"config":{"User":"65532:65532","WorkingDir":"/tmp",\
"Env":["PATH=/opt/java/bin:/usr/bin:/usr/sbin","JAVA_HOME=/opt/java","LANG=C.UTF-8"],\
"Labels":{"org.opencontainers.image.description":"kfp-store base: Debian runtime libraries and a jlink Java runtime",\
"dev.kfp-store.base.packages":"${versions[*]}","dev.kfp-store.base.java":"$java_version"}},\
"rootfs":{"type":"layers","diff_ids":["sha256:$os_id","sha256:$java_id"]}}
JSON
printf '[{"Config":"config.json","RepoTags":["kfp-store/base:local"],"Layers":["os.tar","java.tar"]}]\n' \
  > "$work/image/manifest.json"

mkdir -p "$(dirname "$out")"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$work/image" -cf "$out" config.json java.tar manifest.json os.tar
echo "base image $out: sha256:$(sha256sum "$work/image/config.json" | cut -d' ' -f1) (${versions[*]}; Java $java_version)"
