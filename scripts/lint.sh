#!/bin/sh
# Banned functions (strcpy, strcat, sprintf, gets, atoi) and cppcheck on src/.
status=0
hits=$(grep -nE '(^|[^_a-zA-Z0-9.>])(strcpy|strcat|sprintf|vsprintf|gets|atoi)[[:space:]]*\(' \
       $(find src include tests -name '*.[ch]') | grep -vE '^\S+:[0-9]+:\s*(\*|//|/\*)')
if [ -n "$hits" ]; then
  echo "lint: banned functions (use snprintf, vd_buf, vd_parse_long):"; echo "$hits"; status=1
fi
if command -v cppcheck >/dev/null; then
  cppcheck -q --error-exitcode=1 --enable=warning,portability --inline-suppr \
    --suppress=missingIncludeSystem --suppress=preprocessorErrorDirective -Iinclude \
    -D'json_array_foreach(a,i,v)=for(i=0;i<json_array_size(a)&&(v=json_array_get(a,i));i++)' \
    -D'json_object_foreach(o,k,v)=for(k=0,v=0;k;)' src || status=1
else
  echo "lint: cppcheck not installed (make deps)"; status=1
fi
[ $status -eq 0 ] && echo "lint: ok"
exit $status
