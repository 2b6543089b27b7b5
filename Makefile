# dockwright: a Python program folder -> Dockerfile -> image -> ECR -> AWS Batch.
# `make` or `make help` lists the targets.

SHELL := /usr/bin/env bash
.SHELLFLAGS := -o pipefail -ec
.DEFAULT_GOAL := help

# Versions (pinned in requirements.txt and requirements-dev.txt)
# Python used to create the project's virtualenv.
PYTHON ?= python3
VENV ?= .venv

# Knobs (each maps onto a variable of the roles; unset ones are not passed)
# The program folder (program_path).
PROGRAM ?=
# Image name and local version (image_name, image_version).
IMAGE ?=
VERSION ?=
# The older tool's Config.ini (same key names).
CONFIG ?=
# A YAML vars file, as for ansible-playbook -e @file.
VARS ?=
# Requirements file and init script inside the folder (requirements_file, init_file); by default requirements.txt
# and init.sh when present, INIT=none for no init script.
REQUIREMENTS ?=
INIT ?=
# The image's command when the folder names none (command), e.g. COMMAND='python score.py --fast'.
COMMAND ?=
# Base image (base_image) or Python version (dockerfile_python_version).
BASE_IMAGE ?=
PYTHON_VERSION ?=
# generate | keep | overwrite (dockerfile_mode).
DOCKERFILE_MODE ?=
# CA bundle lent to the dependency install as a build secret: auto | none | a path (image_ca_bundle).
CA_BUNDLE ?=
# ECR: the repository, the tag there (defaults to VERSION), another registry endpoint (host:port),
# the older tool's AwsConfig.ini.
REPOSITORY ?=
ECR_VERSION ?=
REGISTRY ?=
AWS_CONFIG ?=
# CACHE_FROM=registry: a build on an empty engine (a fresh CI runner) reads BuildKit's inline cache of the last push
# from REPOSITORY (its tag and the cache tag buildcache, which make push and make ci point at every image pushed).
CACHE_FROM ?=
# AWS Batch: the older tool's BatchConfig.yml, an image URI for the job definition (default: the pushed one).
BATCH_CONFIG ?=
IMAGE_URI ?=
# make submit: the job definition (name, name:revision or ARN), the queue, a command override, a parameters file.
JOB_DEFINITION ?=
QUEUE ?=
ARGS ?=
PARAMS_FILE ?=
# make schedule: when (CRON="cron(0 3 * * ? *)", or rate(...) / at(...)), the expression's time zone, the
# schedule's name (default: the job definition's); SCHEDULE_ABSENT=1 deletes it.
CRON ?=
TIMEZONE ?=
NAME ?=
SCHEDULE_ABSENT ?=
# make submit: a sweep, one array job with a child per row of the YAML grid file (GRID=sweep.yml); jobs to start
# after (AFTER=<job id>[,<job id>]), their type (AFTER_TYPE=N_TO_N), the children one after another (SEQUENTIAL=1).
GRID ?=
AFTER ?=
AFTER_TYPE ?=
SEQUENTIAL ?=
# make logs / make cancel: the job's id (make submit prints it), the reason recorded for a cancel.
JOB_ID ?=
REASON ?=
# make batch-env-destroy: FORCE=1 terminates running jobs first.
FORCE ?=
# make batch-env: REPLACE=1 recreates a compute environment Batch cannot update in place (with FORCE=1: even with jobs).
REPLACE ?=
# The run's JSON record (image URI and digest, job definition ARN and revision).
OUTPUT ?=
# More ansible-playbook arguments, e.g. ANSIBLE_ARGS=-v
ANSIBLE_ARGS ?=
# CHECK=1: plan mode on any target (ansible-playbook --check --diff): says what would change, changes nothing.
CHECK ?=
# Arguments for pytest in make test, e.g. PYTEST_ARGS="-k iris -x"
PYTEST_ARGS ?=
# make test ROLE=ecr: pytest runs only that role's integration tests (its marker, pytest -m ecr); lint and sanity
# run as ever.
ROLE ?=
OTHER ?=
# The CPU the image is built (and make lock resolves) for: linux/amd64 or linux/arm64 (image_platform, lock_platform);
# default: the Docker engine's own.
PLATFORM ?=
UPGRADE ?=
# make mutation: how many mutants are tested at once (one process each).
MUTATION_JOBS ?=

ifneq ($(filter-out 0 1,$(CHECK)),)
$(error CHECK=$(CHECK) is not a choice: CHECK=1 plans the run (check mode with diff) and changes nothing; leave it out, or CHECK=0, to run for real)
endif
ANSIBLE_PLAYBOOK := $(VENV)/bin/ansible-playbook$(if $(filter 1,$(CHECK)), --check --diff)
quote = '$(subst ','"'"',$(1))'
extra = $(if $(2),-e $(call quote,{"$(1)": "$(2)"}))
EXTRA_VARS = \
  $(call extra,program_path,$(PROGRAM)) \
  $(call extra,image_name,$(IMAGE)) \
  $(call extra,image_version,$(VERSION)) \
  $(call extra,dockwright_config_file,$(CONFIG)) \
  $(call extra,requirements_file,$(REQUIREMENTS)) \
  $(call extra,init_file,$(INIT)) \
  $(call extra,command,$(COMMAND)) \
  $(call extra,base_image,$(BASE_IMAGE)) \
  $(call extra,dockerfile_python_version,$(PYTHON_VERSION)) \
  $(call extra,dockerfile_mode,$(DOCKERFILE_MODE)) \
  $(call extra,image_ca_bundle,$(CA_BUNDLE)) \
  $(call extra,image_platform,$(PLATFORM)) \
  $(call extra,repository,$(REPOSITORY)) \
  $(call extra,version,$(ECR_VERSION)) \
  $(call extra,ecr_registry,$(REGISTRY)) \
  $(call extra,aws_config_file,$(AWS_CONFIG)) \
  $(call extra,cache_from,$(CACHE_FROM)) \
  $(call extra,batch_config_file,$(BATCH_CONFIG)) \
  $(call extra,image_uri,$(IMAGE_URI)) \
  $(call extra,job_definition,$(JOB_DEFINITION)) \
  $(call extra,queue,$(QUEUE)) \
  $(call extra,batch_job_command,$(ARGS)) \
  $(call extra,batch_job_parameters_file,$(PARAMS_FILE)) \
  $(call extra,batch_job_grid_file,$(GRID)) \
  $(call extra,batch_job_depends_on,$(AFTER)) \
  $(call extra,batch_job_depends_on_type,$(AFTER_TYPE)) \
  $(call extra,batch_job_sequential,$(SEQUENTIAL)) \
  $(call extra,job_id,$(JOB_ID)) \
  $(call extra,output_file,$(OUTPUT)) \
  $(if $(VARS),-e @$(VARS))

##@ General

.PHONY: help
help: ## Show this help.
	@awk 'BEGIN {FS = ":.*##"; printf "\nUsage:\n  make \033[36m<target>\033[0m [PROGRAM=./folder IMAGE=name VERSION=tag ...]\n"} /^[a-zA-Z_0-9-]+:.*?##/ { printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2 } /^##@/ { printf "\n\033[1m%s\033[0m\n", substr($$0, 5) } ' $(MAKEFILE_LIST)

##@ Build

.PHONY: dockerize
dockerize: $(VENV)/.installed ## Write the Dockerfile into PROGRAM and build IMAGE:VERSION (or CONFIG=Config.ini, VARS=vars.yml).
	@$(if $(PROGRAM)$(CONFIG)$(VARS),true,echo "make dockerize: give the program folder, e.g. make dockerize PROGRAM=./examples/iris" >&2; exit 2)
	@$(ANSIBLE_PLAYBOOK) playbooks/dockerize.yml $(EXTRA_VARS) $(ANSIBLE_ARGS)

.PHONY: run
run: $(VENV)/.installed ## Everything CONFIG=Config.ini asks for, as the older tool's main.py: dockerize, push, register.
	@$(if $(CONFIG)$(VARS),true,echo "make run: give the older tool's Config.ini, e.g. make run CONFIG=Config.ini (or VARS=vars.yml)" >&2; exit 2)
	@$(ANSIBLE_PLAYBOOK) site.yml $(EXTRA_VARS) $(ANSIBLE_ARGS)

.PHONY: push
push: $(VENV)/.installed ## Dockerize PROGRAM if needed, then push it to ECR as REPOSITORY:ECR_VERSION.
	@$(ANSIBLE_PLAYBOOK) playbooks/push.yml $(EXTRA_VARS) $(ANSIBLE_ARGS)

.PHONY: push-image
push-image: $(VENV)/.installed ## Push an image that exists locally (IMAGE=name:tag) to ECR as REPOSITORY:ECR_VERSION.
	@$(ANSIBLE_PLAYBOOK) playbooks/push_image.yml $(if $(IMAGE),-e $(call quote,{"ecr_image": "$(IMAGE)"})) \
	  $(EXTRA_VARS) $(ANSIBLE_ARGS)

.PHONY: lock
lock: $(VENV)/.installed ## Lock PROGRAM's dependencies for the image (PLATFORM=arm64; UPGRADE=1 or a package) and pin its base.
	@$(if $(PROGRAM)$(CONFIG)$(VARS),true,echo "make lock: give the program folder, e.g. make lock PROGRAM=./examples/iris" >&2; exit 2)
	@$(ANSIBLE_PLAYBOOK) playbooks/lock.yml $(if $(PLATFORM),-e $(call quote,{"lock_platform": "$(patsubst linux/%,%,$(PLATFORM))"})) \
	  $(if $(UPGRADE),-e $(call quote,{"lock_upgrade": "$(UPGRADE)"})) $(EXTRA_VARS) $(ANSIBLE_ARGS)

.PHONY: diff
diff: $(VENV)/.installed ## What differs between two images (IMAGE=churn:1.3 OTHER=churn:1.4): base digest, Python, packages.
	@$(ANSIBLE_PLAYBOOK) playbooks/diff.yml $(if $(IMAGE),-e $(call quote,{"image_diff_image": "$(IMAGE)"})) \
	  $(if $(OTHER),-e $(call quote,{"image_diff_other": "$(OTHER)"})) $(ANSIBLE_ARGS)

##@ AWS Batch

.PHONY: register
register: $(VENV)/.installed ## Register the job definition of BATCH_CONFIG for the pushed image (or IMAGE_URI).
	@$(ANSIBLE_PLAYBOOK) playbooks/register.yml $(EXTRA_VARS) $(ANSIBLE_ARGS)

.PHONY: deploy
deploy: $(VENV)/.installed ## Dockerize PROGRAM, push it to REPOSITORY and register BATCH_CONFIG's job definition.
	@$(ANSIBLE_PLAYBOOK) playbooks/deploy.yml $(EXTRA_VARS) $(ANSIBLE_ARGS)

.PHONY: ci
ci: $(VENV)/.installed ## The pipeline of a CI job: deploy (push; register when BATCH_CONFIG is given), outputs for GitHub Actions/GitLab.
	@$(ANSIBLE_PLAYBOOK) playbooks/ci.yml $(EXTRA_VARS) $(ANSIBLE_ARGS)

.PHONY: batch-env
batch-env: $(VENV)/.installed ## Create or update BATCH_CONFIG's compute environment and job queue.
	@$(ANSIBLE_PLAYBOOK) playbooks/batch_env.yml $(if $(REPLACE),-e batch_environment_replace=true) \
	  $(if $(FORCE),-e batch_environment_force=true) $(EXTRA_VARS) $(ANSIBLE_ARGS)

.PHONY: batch-env-destroy
batch-env-destroy: $(VENV)/.installed ## Tear the job queue and compute environment down (FORCE=1: even with jobs running).
	@$(ANSIBLE_PLAYBOOK) playbooks/batch_env.yml -e batch_environment_state=absent \
	  $(if $(FORCE),-e batch_environment_force=true) $(EXTRA_VARS) $(ANSIBLE_ARGS)

.PHONY: submit
submit: $(VENV)/.installed ## Submit a job (JOB_DEFINITION, QUEUE, ARGS, PARAMS_FILE, GRID, AFTER), follow it, print its logs.
	@$(ANSIBLE_PLAYBOOK) playbooks/submit.yml $(EXTRA_VARS) $(ANSIBLE_ARGS)

.PHONY: logs
logs: $(VENV)/.installed ## Follow a job (JOB_ID) until it ends, its log lines as they come; all lines of an ended one.
	@$(if $(JOB_ID),true,echo "make logs: give the job's id, e.g. make logs JOB_ID=4b5f7c1e-1d2f-4b8a-9f5e-0c1d2e3f4a5b" >&2; exit 2)
	@$(ANSIBLE_PLAYBOOK) playbooks/logs.yml $(EXTRA_VARS) $(ANSIBLE_ARGS)

.PHONY: cancel
cancel: $(VENV)/.installed ## Stop a job (JOB_ID): cancel it before it starts, terminate it once it runs (REASON=...).
	@$(if $(JOB_ID),true,echo "make cancel: give the job's id, e.g. make cancel JOB_ID=4b5f7c1e-1d2f-4b8a-9f5e-0c1d2e3f4a5b" >&2; exit 2)
	@$(ANSIBLE_PLAYBOOK) playbooks/cancel.yml $(if $(REASON),-e $(call quote,{"batch_job_control_reason": "$(REASON)"})) \
	  $(EXTRA_VARS) $(ANSIBLE_ARGS)
.PHONY: schedule
schedule: $(VENV)/.installed ## Submit JOB_DEFINITION to QUEUE on a schedule (CRON="cron(0 3 * * ? *)", NAME, TIMEZONE; SCHEDULE_ABSENT=1 deletes it).
	@$(ANSIBLE_PLAYBOOK) playbooks/schedule.yml $(call extra,batch_schedule_expression,$(CRON)) \
	  $(call extra,batch_schedule_timezone,$(TIMEZONE)) $(call extra,batch_schedule_name,$(NAME)) \
	  $(if $(SCHEDULE_ABSENT),-e batch_schedule_state=absent) $(EXTRA_VARS) $(ANSIBLE_ARGS)

##@ Development

.PHONY: venv
venv: $(VENV)/.installed ## Create the virtualenv with the pinned requirements (done on first use by every target).

$(VENV)/.installed: requirements.txt
	@echo "dockwright: setting up $(VENV) with the pinned requirements (first use only; about a minute)"
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	@$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	@echo "dockwright: adding the test and lint tools to $(VENV)"
	@$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

.PHONY: engine
engine: ## Install (Debian/Ubuntu, as root) and start a Docker engine when none answers, with buildx and QEMU.
	@bash scripts/engine.sh

.PHONY: base-image
base-image: ## Make python:3.11-slim available: pull it, or build a stand-in from Debian packages.
	@bash scripts/base-image.sh python:3.11-slim

.PHONY: provision
provision: ## Set up what the tests need (as root on Debian/Ubuntu): Docker engine, docker-registry, base image.
	@bash scripts/provision.sh

.PHONY: test
test: $(VENV)/.installed-dev ## Run every test: lint, sanity, unit, integration on the real engine, molecule (ROLE=ecr: pytest runs that role's integration tests only).
	@$(if $(ROLE),$(if $(wildcard roles/$(ROLE)/tasks/main.yml),true,echo "make test: ROLE=$(ROLE) is not a role; one of: $(notdir $(wildcard roles/*))" >&2; exit 2),true)
	@bash scripts/provision.sh
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory sanity
	@$(VENV)/bin/pytest $(if $(ROLE),tests/integration -m $(ROLE)) $(PYTEST_ARGS)

.PHONY: test-unit
test-unit: $(VENV)/.installed-dev ## Run the fast tests only: tests/unit, the Dockerfile rendered in-process (no engine, no playbook).
	@$(VENV)/bin/pytest tests/unit $(PYTEST_ARGS)

.PHONY: mutation
mutation: $(VENV)/.installed-dev ## Mutation testing of module_utils and filters against the unit tests (slow; not in make test).
	@$(VENV)/bin/python scripts/mutation.py run --max-children $(or $(MUTATION_JOBS),1)
	@$(VENV)/bin/python scripts/mutation.py summary

.PHONY: lint
lint: $(VENV)/.installed-dev ## ansible-lint (production profile) and ruff.
	@$(VENV)/bin/ruff check .
	@PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/ansible-lint --profile production -q

.PHONY: sanity
sanity: $(VENV)/.installed ## ansible-test sanity on the collection dockwright.toolkit (collections/).
	@bash scripts/sanity.sh

.PHONY: bench
bench: $(VENV)/.installed-dev ## Measure cold build, code-change rebuild and no-op rerun against plain and naive builds.
	@$(VENV)/bin/python bench/bench.py

.PHONY: clean
clean: ## Remove the virtualenv and caches (images are left in the engine).
	rm -rf $(VENV) .pytest_cache .ruff_cache .cache
