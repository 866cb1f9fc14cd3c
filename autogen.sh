#!/bin/sh
# Generates configure and the Makefile.in files from a git checkout.
set -e
cd "$(dirname "$0")"
autoreconf -fi
# our test driver wraps automake's, which automake installs only for its own drivers
am_dir=$(automake --print-libdir)
cp -f "$am_dir/test-driver" build-aux/test-driver
