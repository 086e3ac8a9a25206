/** Where the real services started by scripts/services.sh listen. One place, so tests never guess. */
export const DOCKER_HOST = 'unix:///run/sidhe-docker.sock';
export const PROMETHEUS_URL = 'http://127.0.0.1:19090';
