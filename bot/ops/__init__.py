"""Operations: Prometheus metrics and the /healthz + /metrics HTTP endpoint."""
