#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Generates configure and Makefile.in (never committed).
set -e
cd "$(dirname "$0")"
mkdir -p m4 build-aux
autoreconf --install --force
