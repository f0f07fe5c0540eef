from guozi.supervision.models.plans import Plan, TargetTask

__all__ = ["Plan", "TargetTask"]
