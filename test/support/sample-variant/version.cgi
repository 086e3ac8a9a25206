#!/bin/busybox sh
# /cgi-bin/version of a sample-service variant: answers SAMPLE_VERSION, after DELAY seconds, and fails
# FAIL_PERCENT % of requests with a 500 whose body says it was deliberate (and which version failed),
# so a load client can tell these failures from those of the routers.
if [ "${DELAY:-0}" != 0 ]; then /bin/busybox sleep "$DELAY"; fi
if [ $((RANDOM % 100)) -lt "${FAIL_PERCENT:-0}" ]; then
  printf 'HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\n\r\ndeliberate failure of %s\n' "$SAMPLE_VERSION"
else
  printf 'Content-Type: text/plain\r\n\r\n%s\n' "$SAMPLE_VERSION"
fi
