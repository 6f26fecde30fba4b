# Production images, built by docker-compose.yml (see docs/deploy.md):
#   target "trytond": our modules served by Gunicorn (several worker
#                     processes on trytond.application:app), also used for
#                     trytond-cron, trytond-worker and trytond-admin
#   target "proxy":   the official Caddy image with the sao web client's
#                     static files: TLS, static files, load balancing
FROM node:20-bookworm-slim AS sao
WORKDIR /sao
COPY sao/package.json sao/package-lock.json ./
RUN npm ci --omit=dev --legacy-peer-deps --no-audit --no-fund
COPY sao/custom.js ./node_modules/tryton-sao/custom.js
# sao's index.html loads node_modules/... relative to itself.
RUN ln -s .. node_modules/tryton-sao/node_modules

FROM caddy:2 AS proxy
COPY --from=sao /sao/node_modules /srv/node_modules
RUN ln -s /srv/node_modules/tryton-sao /srv/sao && mkdir -p /etc/caddy/site.d
COPY deploy/Caddyfile /etc/caddy/Caddyfile

FROM python:3.11-slim-bookworm AS trytond
ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    TRYTOND_CONFIG=/etc/trytond.conf \
    TRYTOND_DATABASE__PATH=/var/lib/trytond \
    GUNICORN_BIND=0.0.0.0:8000
WORKDIR /opt/crm
COPY pyproject.toml requirements.lock README.md ./
COPY addons ./addons
# Pango and a Chinese font: WeasyPrint renders the portal's PDFs with them.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 \
        libpangoft2-1.0-0 fonts-wqy-zenhei \
    && rm -rf /var/lib/apt/lists/*
RUN pip install -c requirements.lock . \
    && useradd --system --home-dir /var/lib/trytond --create-home trytond
COPY deploy/gunicorn.conf.py ./deploy/gunicorn.conf.py
# The web client too, for a trytond reached without the proxy.
COPY --from=sao /sao/node_modules ./sao/node_modules
# [database] list = False: database names are not listed to anyone.
RUN printf '%s\n' \
        '[database]' 'language = zh_CN' 'list = False' \
        '[web]' 'listen = 0.0.0.0:8000' \
        'root = /opt/crm/sao/node_modules/tryton-sao' \
        '[session]' 'timeout = 28800' \
        '[email]' 'from = crm@goodseason.example' \
        > /etc/trytond.conf
USER trytond
EXPOSE 8000
# Workers: WEB_CONCURRENCY (deploy/gunicorn.conf.py).
CMD ["gunicorn", "--config", "/opt/crm/deploy/gunicorn.conf.py", "trytond.application:app"]
