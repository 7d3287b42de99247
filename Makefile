# Thin wrapper over dev.py, for those who type `make`. dev.py is the source of truth.
.PHONY: help demo test bench docs
help:  ## list the targets
	@grep -E '^[a-z]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'
demo:  ## install, load the demo articles and serve on http://127.0.0.1:5000/
	python3 dev.py demo
test:  ## install, lint and run the whole test suite
	python3 dev.py test
bench:  ## run the benchmarks
	python3 dev.py bench
docs:  ## build the user guide into var/site/ (mkdocs --strict)
	python3 dev.py docs
