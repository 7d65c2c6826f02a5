"""Seed the current AWS exams with their official blueprints.

Figures from each exam's AWS exam guide (docs.aws.amazon.com/aws-certification/latest/examguides/):
total questions (scored + unscored), minutes, the passing score on the 100–1000 scale, and the
content domains with their share of scored content. SOA-C03 is the CloudOps Engineer – Associate
exam that replaced SysOps Administrator SOA-C02 in September 2025.
"""

from django.db import migrations

EXAMS = [
    {
        "code": "CLF-C02",
        "name": "AWS Certified Cloud Practitioner",
        "level": "foundational",
        "description": (
            "Overall understanding of the AWS Cloud: its value, the shared responsibility model, "
            "security, core services, pricing and support. For anyone new to AWS, technical or not."
        ),
        "exam_questions": 65,
        "exam_minutes": 90,
        "passing_score": 700,
        "domains": [
            ("Cloud Concepts", 24),
            ("Security and Compliance", 30),
            ("Cloud Technology and Services", 34),
            ("Billing, Pricing, and Support", 12),
        ],
    },
    {
        "code": "AIF-C01",
        "name": "AWS Certified AI Practitioner",
        "level": "foundational",
        "description": (
            "AI, machine learning and generative AI concepts and use cases on AWS: foundation models, "
            "prompt engineering, Amazon Bedrock, responsible AI, security and governance."
        ),
        "exam_questions": 65,
        "exam_minutes": 90,
        "passing_score": 700,
        "domains": [
            ("Fundamentals of AI and ML", 20),
            ("Fundamentals of Generative AI", 24),
            ("Applications of Foundation Models", 28),
            ("Guidelines for Responsible AI", 14),
            ("Security, Compliance, and Governance for AI Solutions", 14),
        ],
    },
    {
        "code": "SAA-C03",
        "name": "AWS Certified Solutions Architect – Associate",
        "level": "associate",
        "description": (
            "Designing secure, resilient, high-performing and cost-optimized architectures on AWS "
            "that meet the requirements of a given scenario."
        ),
        "exam_questions": 65,
        "exam_minutes": 130,
        "passing_score": 720,
        "domains": [
            ("Design Secure Architectures", 30),
            ("Design Resilient Architectures", 26),
            ("Design High-Performing Architectures", 24),
            ("Design Cost-Optimized Architectures", 20),
        ],
    },
    {
        "code": "DVA-C02",
        "name": "AWS Certified Developer – Associate",
        "level": "associate",
        "description": (
            "Developing, testing, deploying and debugging cloud applications on AWS: serverless, "
            "APIs, data stores, security in code, CI/CD and troubleshooting."
        ),
        "exam_questions": 65,
        "exam_minutes": 130,
        "passing_score": 720,
        "domains": [
            ("Development with AWS Services", 32),
            ("Security", 26),
            ("Deployment", 24),
            ("Troubleshooting and Optimization", 18),
        ],
    },
    {
        "code": "SOA-C03",
        "name": "AWS Certified CloudOps Engineer – Associate",
        "level": "associate",
        "description": (
            "Deploying, managing and operating workloads on AWS: monitoring and remediation, "
            "reliability, automation, security and networking. Successor of SysOps Administrator."
        ),
        "exam_questions": 65,
        "exam_minutes": 130,
        "passing_score": 720,
        "domains": [
            ("Monitoring, Logging, Analysis, Remediation, and Performance Optimization", 22),
            ("Reliability and Business Continuity", 22),
            ("Deployment, Provisioning, and Automation", 22),
            ("Security and Compliance", 16),
            ("Networking and Content Delivery", 18),
        ],
    },
    {
        "code": "MLA-C01",
        "name": "AWS Certified Machine Learning Engineer – Associate",
        "level": "associate",
        "description": (
            "Building, deploying and operating machine learning solutions and pipelines on AWS, "
            "centred on Amazon SageMaker: data preparation, model development, MLOps and monitoring."
        ),
        "exam_questions": 65,
        "exam_minutes": 130,
        "passing_score": 720,
        "domains": [
            ("Data Preparation for Machine Learning (ML)", 28),
            ("ML Model Development", 26),
            ("Deployment and Orchestration of ML Workflows", 22),
            ("ML Solution Monitoring, Maintenance, and Security", 24),
        ],
    },
    {
        "code": "DOP-C02",
        "name": "AWS Certified DevOps Engineer – Professional",
        "level": "professional",
        "description": (
            "Provisioning, operating and managing distributed systems on AWS: CI/CD, infrastructure "
            "as code, resilience, observability, incident response and automated compliance."
        ),
        "exam_questions": 75,
        "exam_minutes": 180,
        "passing_score": 750,
        "domains": [
            ("SDLC Automation", 22),
            ("Configuration Management and IaC", 17),
            ("Resilient Cloud Solutions", 15),
            ("Monitoring and Logging", 15),
            ("Incident and Event Response", 14),
            ("Security and Compliance", 17),
        ],
    },
    {
        "code": "SAP-C02",
        "name": "AWS Certified Solutions Architect – Professional",
        "level": "professional",
        "description": (
            "Designing complex solutions across accounts and Regions: organizational complexity, "
            "new solutions, continuous improvement, and migration and modernization."
        ),
        "exam_questions": 75,
        "exam_minutes": 180,
        "passing_score": 750,
        "domains": [
            ("Design Solutions for Organizational Complexity", 26),
            ("Design for New Solutions", 29),
            ("Continuous Improvement for Existing Solutions", 25),
            ("Accelerate Workload Migration and Modernization", 20),
        ],
    },
]


def seed_exams(apps, schema_editor):
    Certification = apps.get_model("certifications", "Certification")
    ExamDomain = apps.get_model("certifications", "ExamDomain")
    for exam in EXAMS:
        fields = {key: value for key, value in exam.items() if key not in ("code", "domains")}
        certification, _ = Certification.objects.update_or_create(code=exam["code"], defaults=fields)
        for order, (name, weight) in enumerate(exam["domains"], start=1):
            ExamDomain.objects.update_or_create(
                certification=certification, name=name, defaults={"weight": weight, "order": order}
            )


def remove_exams(apps, schema_editor):
    Certification = apps.get_model("certifications", "Certification")
    Certification.objects.filter(code__in=[exam["code"] for exam in EXAMS]).delete()


class Migration(migrations.Migration):
    dependencies = [("certifications", "0001_initial")]

    operations = [migrations.RunPython(seed_exams, remove_exams)]
