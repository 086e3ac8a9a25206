/** Where the real services started by scripts/services.sh listen. One place, so tests never guess. */
export const DOCKER_HOST = 'unix:///run/sidhe-docker.sock';
export const PROMETHEUS_URL = 'http://127.0.0.1:19090';
/** The event bus: redis-server without persistence. */
export const REDIS_URL = 'redis://127.0.0.1:16379';
