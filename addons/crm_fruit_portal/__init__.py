# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
# The portal's pages are trytond routes: importing them registers them.
from . import routes

__all__ = [routes]
