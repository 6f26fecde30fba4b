# Source me: the environment every command of this project runs in.
_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export TRYTOND_CONFIG="$_root/trytond.conf"
export TRYTOND_DATABASE__PATH="${TRYTOND_DATABASE__PATH:-$_root/var/db}"
export PATH="$_root/.venv/bin:$PATH"
mkdir -p "$TRYTOND_DATABASE__PATH"
unset _root
