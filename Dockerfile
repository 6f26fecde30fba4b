# Production image: trytond with our modules and the sao web client.
# Built and run by docker-compose.yml (PostgreSQL 15, trytond, cron, worker).
FROM node:20-bookworm-slim AS sao
WORKDIR /sao
COPY sao/package.json sao/package-lock.json ./
RUN npm ci --omit=dev --legacy-peer-deps --no-audit --no-fund

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    TRYTOND_CONFIG=/etc/trytond.conf \
    TRYTOND_DATABASE__PATH=/var/lib/trytond
WORKDIR /opt/crm
COPY pyproject.toml requirements.lock README.md ./
COPY addons ./addons
RUN pip install -c requirements.lock . \
    && useradd --system --home-dir /var/lib/trytond --create-home trytond
COPY --from=sao /sao/node_modules ./sao/node_modules
COPY sao/custom.js ./sao/node_modules/tryton-sao/custom.js
# sao's index.html loads node_modules/... relative to itself.
RUN ln -s .. sao/node_modules/tryton-sao/node_modules \
    && printf '%s\n' \
        '[database]' 'language = zh_CN' \
        '[web]' 'listen = 0.0.0.0:8000' \
        'root = /opt/crm/sao/node_modules/tryton-sao' \
        '[session]' 'timeout = 28800' \
        '[email]' 'from = crm@goodseason.example' \
        > /etc/trytond.conf
USER trytond
EXPOSE 8000
CMD ["trytond"]
