FROM python:3.11-slim
WORKDIR /app
# 1. the dependencies alone, from pyproject.toml: this layer is rebuilt only when they change,
#    not on every code edit
COPY pyproject.toml ./
RUN python -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; print('\n'.join(p['dependencies'] + p['optional-dependencies']['postgres']))" > /tmp/requirements.txt \
    && pip install --no-cache-dir -r /tmp/requirements.txt
# 2. newsbot itself (no dependency left to fetch).  The migrations, the topics file and the seed
#    corpus are package data, so `newsbot db upgrade` and `newsbot ingest` work from the
#    installed package alone
COPY setup.py README.md ./
COPY bot ./bot
COPY seeds ./seeds
COPY migrations ./migrations
RUN pip install --no-cache-dir --no-deps . \
    && useradd --system --uid 10001 --home-dir /app newsbot \
    && mkdir -p /app/var && chown newsbot /app/var
USER newsbot
# matplotlib (trend pictures) keeps its font cache in /app/var; so does newsbot its default
# SQLite file when NEWSBOT_DATABASE_URL is not set (compose sets PostgreSQL)
ENV NEWSBOT_HTTP_PORT=3000 NEWSBOT_HTTP_HOST=0.0.0.0 MPLCONFIGDIR=/app/var/matplotlib \
    XDG_DATA_HOME=/app/var
EXPOSE 3000
CMD ["sh", "-c", "newsbot db upgrade && exec newsbot serve"]
