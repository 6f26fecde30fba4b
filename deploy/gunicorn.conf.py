# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""Gunicorn settings of trytond (the image, and `make serve` outside Docker).

    gunicorn -c deploy/gunicorn.conf.py trytond.application:app

Environment:
  WEB_CONCURRENCY        worker processes (default 2 x cores + 1, at most 8)
  GUNICORN_THREADS       threads per worker (default 1: sync workers)
  GUNICORN_BIND          address (default 0.0.0.0:8000; make serve: loopback)
  GUNICORN_TIMEOUT       seconds before a stuck request's worker is replaced
  TRYTOND_DATABASE_NAMES databases whose pool each worker loads at start
                         (trytond.application; without it the first request
                         of each worker pays the pool load)
"""
import multiprocessing
import os

bind = os.environ.get('GUNICORN_BIND', '0.0.0.0:8000')
workers = int(os.environ.get('WEB_CONCURRENCY')
    or min(2 * multiprocessing.cpu_count() + 1, 8))
threads = int(os.environ.get('GUNICORN_THREADS', '1'))
# Reports and wizards can take a while; a stuck worker is replaced after it.
timeout = int(os.environ.get('GUNICORN_TIMEOUT', '120'))
graceful_timeout = 30
keepalive = 5
# Tryton loads the pool in each worker (trytond.application refuses to start
# with threads left from a preloading master): no preload_app.
preload_app = False
# Recycle workers now and then so a leak cannot grow without bound.
max_requests = int(os.environ.get('GUNICORN_MAX_REQUESTS', '2000'))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get('GUNICORN_ACCESSLOG', '-')
errorlog = '-'
# Behind the reverse proxy: trust its X-Forwarded-* headers (trytond itself
# reads them with [web] num_proxies / TRYTOND_WEB__NUM_PROXIES).
forwarded_allow_ips = os.environ.get('FORWARDED_ALLOW_IPS', '127.0.0.1')
proc_name = 'trytond'
