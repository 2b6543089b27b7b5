"""One row per setting a BatchConfig.yml job definition manages: a job definition setting it, and the same job
definition with that one setting changed. The unit tests (changed_fields) and the integration tests (revisions
registered in moto) run the same table; a key added to the job definition without a row here fails both."""

from __future__ import annotations

ROLE = "arn:aws:iam::123456789012:role/iris-job"
OTHER_ROLE = "arn:aws:iam::123456789012:role/iris-job-2"
EXEC_ROLE = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole"
OTHER_EXEC_ROLE = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole-2"
SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-password-AbCdEf"
PARAMETER = "arn:aws:ssm:eu-west-1:123456789012:parameter/iris/api-token"
EFS = {"file_system_id": "fs-0123456789abcdef0", "root_directory": "/datasets", "transit_encryption": "ENABLED"}

# Every optional setting given (so that a change of each is a change of a value, not only its presence).
EC2 = {"command": ["python", "train.py", "Ref::n"], "parameters": {"n": "1"}, "vcpus": 1, "memory": 2048,
       "environment": {"A": "1"}, "job_role_arn": ROLE, "execution_role_arn": EXEC_ROLE, "retry_attempts": 2,
       "retry_on_exit": [{"on_exit_code": "137", "action": "RETRY"}], "timeout_seconds": 600,
       "log_driver": "awslogs", "log_options": {"awslogs-group": "/dockwright/a"}, "tags": {"k": "v"},
       "propagate_tags": False, "user": "1000", "readonly_root_filesystem": False, "privileged": False,
       "secrets": {"DB_PASSWORD": SECRET}, "shared_memory_mb": 1024,
       "volumes": [{"name": "data", "efs": EFS, "container_path": "/data", "read_only": True}]}
FARGATE = {**{key: value for key, value in EC2.items() if key not in ("privileged", "shared_memory_mb")},
           "platform": "FARGATE", "ephemeral_storage_gb": 50,
           "fargate": {"assign_public_ip": "DISABLED", "platform_version": "1.4.0", "cpu_architecture": "X86_64"}}

# (setting, the base it changes, the change, the comparable fields that differ then)
FIELD_CHANGES = [
    ("command", EC2, {"command": ["python", "other.py"]}, ["containerProperties.command"]),
    ("parameters", EC2, {"parameters": {"n": "2"}}, ["parameters"]),
    ("vcpus", EC2, {"vcpus": 2}, ["containerProperties.resourceRequirements"]),
    ("memory", EC2, {"memory": 4096}, ["containerProperties.resourceRequirements"]),
    ("gpus", EC2, {"gpus": 1}, ["containerProperties.resourceRequirements"]),
    ("environment", EC2, {"environment": {"A": "2"}}, ["containerProperties.environment"]),
    ("job_role_arn", EC2, {"job_role_arn": OTHER_ROLE}, ["containerProperties.jobRoleArn"]),
    ("execution_role_arn", EC2, {"execution_role_arn": OTHER_EXEC_ROLE}, ["containerProperties.executionRoleArn"]),
    # Shared memory is EC2's only: the move to Fargate drops it.
    ("platform", EC2, {"platform": "FARGATE", "shared_memory_mb": None},
     ["containerProperties.fargatePlatformConfiguration", "containerProperties.linuxParameters.sharedMemorySize",
      "containerProperties.networkConfiguration", "containerProperties.runtimePlatform", "platformCapabilities"]),
    ("fargate.assign_public_ip", FARGATE, {"fargate": {**FARGATE["fargate"], "assign_public_ip": "ENABLED"}},
     ["containerProperties.networkConfiguration.assignPublicIp"]),
    ("fargate.platform_version", FARGATE, {"fargate": {**FARGATE["fargate"], "platform_version": "LATEST"}},
     ["containerProperties.fargatePlatformConfiguration.platformVersion"]),
    ("fargate.cpu_architecture", FARGATE, {"fargate": {**FARGATE["fargate"], "cpu_architecture": "ARM64"}},
     ["containerProperties.runtimePlatform.cpuArchitecture"]),
    ("retry_attempts", EC2, {"retry_attempts": 3}, ["retryStrategy.attempts"]),
    ("retry_on_exit", EC2, {"retry_on_exit": [{"on_exit_code": "1", "action": "RETRY"}]},
     ["retryStrategy.evaluateOnExit"]),
    ("timeout_seconds", EC2, {"timeout_seconds": 60}, ["timeout.attemptDurationSeconds"]),
    ("log_driver", EC2, {"log_driver": "json-file"}, ["containerProperties.logConfiguration.logDriver"]),
    ("log_options", EC2, {"log_options": {"awslogs-group": "/dockwright/b"}},
     ["containerProperties.logConfiguration.options"]),
    ("tags", EC2, {"tags": {"k": "w"}}, ["tags"]),
    ("propagate_tags", EC2, {"propagate_tags": True}, ["propagateTags"]),
    ("user", EC2, {"user": "nobody"}, ["containerProperties.user"]),
    ("readonly_root_filesystem", EC2, {"readonly_root_filesystem": True},
     ["containerProperties.readonlyRootFilesystem"]),
    ("privileged", EC2, {"privileged": True}, ["containerProperties.privileged"]),
    ("secrets", EC2, {"secrets": {"DB_PASSWORD": PARAMETER}}, ["containerProperties.secrets"]),
    ("shared_memory_mb", EC2, {"shared_memory_mb": 2048}, ["containerProperties.linuxParameters.sharedMemorySize"]),
    ("ephemeral_storage_gb", FARGATE, {"ephemeral_storage_gb": 100},
     ["containerProperties.ephemeralStorage.sizeInGiB"]),
    ("volumes", EC2, {"volumes": [{"name": "data", "efs": {**EFS, "root_directory": "/other"},
                                   "container_path": "/data", "read_only": True}]}, ["containerProperties.volumes"]),
]
