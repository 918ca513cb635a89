# envgen env --format fish: source this file in fish
set -gx PIP_TIMEOUT '60'
set -gx PIP_RETRIES '3'
set -gx npm_config_fetch_retries '3'
set -gx npm_config_fetch_retry_factor '2'
set -gx npm_config_fetch_retry_mintimeout '1000'
set -gx npm_config_fetch_retry_maxtimeout '30000'
set -gx npm_config_fetch_timeout '60000'
