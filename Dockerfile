# polytomic-mcp as a stateless HTTP replica: each request brings its own Polytomic key (Bearer).
# Put several behind a load balancer; no sticky sessions needed (tests/security/test_replicas.py).
# With more than one replica (or --auth oauth, or consent links), give them one shared state:
#   docker run -e POLYTOMIC_STATE_URL=redis://:password@redis:6379/0 ...   (README "Shared state")
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 mcp
WORKDIR /app
COPY pyproject.toml README.md ./
COPY polytomic_mcp ./polytomic_mcp
RUN pip install . && rm -rf /app/polytomic_mcp

USER mcp
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=3)"]
CMD ["polytomic-mcp", "--transport", "http", "--host", "0.0.0.0", "--port", "8000", "--stateless", "--key-from-request"]
