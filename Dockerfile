# rnnviz for classrooms: CPU-only torch by default; build with
#   --build-arg TORCH_INDEX=https://download.pytorch.org/whl/cu126
# for a CUDA image (run it with --gpus all).
FROM python:3.11-slim

ARG TORCH_VERSION=2.13.0
ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# a non-root user, then torch in its own layer, from the wheel index that matches the device
RUN useradd --create-home --uid 1000 rnnviz \
    && pip install --index-url "${TORCH_INDEX}" "torch==${TORCH_VERSION}"

# then the rest of the runtime dependencies (torch is already satisfied)
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY --chown=1000:1000 . .
USER 1000

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read() != b'ok')"]
ENTRYPOINT ["streamlit", "run", "app.py", "--server.address=0.0.0.0", "--server.port=8501"]
