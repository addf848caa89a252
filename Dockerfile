FROM python:3.11-slim
WORKDIR /app
# one install: the migrations and the topics file are package data, so `newsbot db upgrade`
# works from the installed package alone
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY seeds ./seeds
RUN pip install --no-cache-dir '.[postgres]' \
    && useradd --system --uid 10001 --home-dir /app newsbot \
    && mkdir -p /app/var && chown newsbot /app/var
USER newsbot
# matplotlib (trend pictures) keeps its font cache here
ENV NEWSBOT_HTTP_PORT=3000 NEWSBOT_HTTP_HOST=0.0.0.0 MPLCONFIGDIR=/app/var/matplotlib
EXPOSE 3000
CMD ["sh", "-c", "newsbot db upgrade && exec newsbot serve"]
