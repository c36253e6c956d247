#!/usr/bin/env bash
# Creates one database per chitragupt tenant, owned by $POSTGRES_USER. The postgres image runs
# this once, on the first start with an empty data directory (/docker-entrypoint-initdb.d);
# it can also be run by hand against any server (PGHOST/PGPORT/PGPASSWORD as for psql).
#   CHITRAGUPT_TENANT_DATABASES  names separated by spaces or commas (default: ccloud_prod
#                                ccloud_staging, the PostgreSQL tenants of deploy/config.yaml)
# Existing databases are left alone, so running it twice is harmless. The engine creates the
# tables itself (migrations run on every tenant start).
set -euo pipefail

owner=${POSTGRES_USER:-chitragupt}
databases=${CHITRAGUPT_TENANT_DATABASES:-ccloud_prod ccloud_staging}
if [[ ! $owner =~ ^[A-Za-z_][A-Za-z0-9_]{0,62}$ ]]; then
  echo "create-tenant-databases: POSTGRES_USER '$owner' is not a plain role name" >&2
  exit 1
fi

# Every name is checked before anything is created.
for db in ${databases//,/ }; do
  if [[ ! $db =~ ^[a-z_][a-z0-9_]{0,62}$ ]]; then
    echo "create-tenant-databases: '$db' is not a valid database name (lower-case letters, digits, _)" >&2
    exit 1
  fi
done

for db in ${databases//,/ }; do
  exists=$(psql -v ON_ERROR_STOP=1 --no-psqlrc -qtA --username "$owner" \
    --dbname "${POSTGRES_DB:-postgres}" -c "SELECT 1 FROM pg_database WHERE datname = '$db'")
  if [[ $exists == 1 ]]; then
    echo "create-tenant-databases: $db exists"
    continue
  fi
  psql -v ON_ERROR_STOP=1 --no-psqlrc -q --username "$owner" --dbname "${POSTGRES_DB:-postgres}" \
    -c "CREATE DATABASE \"$db\" OWNER \"$owner\""
  echo "create-tenant-databases: created $db (owner $owner)"
done
