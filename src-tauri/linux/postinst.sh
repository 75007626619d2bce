#!/bin/sh
# After installing or removing the package: let the desktop learn (or forget) the .guitu
# file type and which application opens it. Missing tools are not an error.
if command -v update-mime-database >/dev/null 2>&1; then
  update-mime-database /usr/share/mime >/dev/null 2>&1 || true
fi
if command -v update-desktop-database >/dev/null 2>&1; then
  update-desktop-database -q /usr/share/applications >/dev/null 2>&1 || true
fi
exit 0
