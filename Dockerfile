FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY bot ./bot
COPY migrations ./migrations
COPY seeds ./seeds
RUN pip install --no-cache-dir '.[postgres]' && pip install --no-cache-dir -e .
ENV NEWSBOT_HTTP_PORT=3000
EXPOSE 3000
CMD ["sh", "-c", "newsbot db upgrade && exec newsbot serve"]
