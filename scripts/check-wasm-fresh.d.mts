/** Why web/generated is stale or missing, or null when it is fresh. */
export function staleReason(): string | null;
