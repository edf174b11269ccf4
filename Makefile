.PHONY: demo test bench lint format

demo:  ## install, build the demo province and serve it on 127.0.0.1:8000
	./scripts/demo.sh

test:  ## the CI command: lint, the suite on SQLite and PostgreSQL, the contract check
	bash .ci/run

bench:  ## benchmarks (figures go to docs/performance.md by hand)
	./scripts/bench.sh

lint:
	uv run ruff check . && uv run ruff format --check .

format:
	uv run ruff check --fix . && uv run ruff format .
