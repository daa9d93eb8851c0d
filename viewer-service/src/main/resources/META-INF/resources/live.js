// A live page whose viewer went away (a rolling update) tries again within seconds: the ws extension's own wait grows to a minute.
htmx.config.wsReconnectDelay = retries => Math.min(5000, 500 * 2 ** retries) * (0.5 + Math.random() / 2);
